import { parseDocument } from 'yaml';
import type { ValidationProblem } from '../errors.js';
import { yamlProblems } from '../schema/yaml-problems.js';

export interface FrontmatterParse {
  data?: unknown;
  body: string;
  problems: ValidationProblem[];
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits `---\nyaml\n---\nbody` and parses the YAML, reporting errors with line and column. */
export function parseFrontmatter(text: string, file: string): FrontmatterParse {
  const source = text.replace(/^\uFEFF/, '');
  const match = FENCE.exec(source);
  if (!match) {
    return {
      body: source,
      problems: [{ file, location: 'line 1', message: 'missing YAML frontmatter: start the file with ---, the fields (name, description, tools, model), then ---' }],
    };
  }
  const doc = parseDocument(match[1]!, { prettyErrors: true, uniqueKeys: true });
  const problems = yamlProblems(doc.errors, file, 'broken frontmatter: ', 1);
  return { data: problems.length ? undefined : doc.toJS(), body: source.slice(match[0].length), problems };
}
