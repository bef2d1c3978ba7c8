import { yaml } from '../runtime/lazy-modules.js';
import type { ValidationProblem } from '../errors.js';
import { toPlainData, yamlProblems } from '../schema/yaml-problems.js';

export interface FrontmatterParse {
  data?: unknown;
  body: string;
  problems: ValidationProblem[];
}

/**
 * `---`, the YAML, then a closing line of three or more dashes. Claude Code accepts a longer
 * closing line (`-----`) too, so it is accepted here rather than called missing.
 */
const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n-{3,}[ \t]*(?:\r?\n|$)/;
const EMPTY_FENCE = /^---[ \t]*\r?\n-{3,}[ \t]*(?:\r?\n|$)/;

/** Splits `---\nyaml\n---\nbody` and parses the YAML, reporting errors with line and column. */
export function parseFrontmatter(text: string, file: string): FrontmatterParse {
  const source = text.replace(/^\uFEFF/, '');
  const match = FENCE.exec(source) ?? EMPTY_FENCE.exec(source);
  if (!match) {
    const message = /^---[ \t]*\r?\n/.test(source)
      ? 'the frontmatter that starts on line 1 has no closing --- line: end the fields (name, description, tools, model) with a line of ---'
      : 'missing YAML frontmatter: start the file with ---, the fields (name, description, tools, model), then ---';
    return { body: source, problems: [{ file, location: 'line 1', message }] };
  }
  const doc = yaml().parseDocument(match[1] ?? '', { prettyErrors: true, uniqueKeys: true });
  const problems = yamlProblems(doc.errors, file, 'broken frontmatter: ', 1);
  if (problems.length) return { body: source.slice(match[0].length), problems };
  const plain = toPlainData(doc, file);
  return { data: plain.data, body: source.slice(match[0].length), problems: plain.problems.map((p) => ({ ...p, location: 'frontmatter' })) };
}
