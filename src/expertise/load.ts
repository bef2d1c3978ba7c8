import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { UserError, ValidationError, type ValidationProblem } from '../errors.js';
import { ExpertiseFile, SUPPORTED_EXPERTISE_VERSIONS } from '../schema/expertise.js';
import { zodProblems } from '../schema/problems.js';
import { yamlProblems } from '../schema/yaml-problems.js';

/** Expertise files larger than this are refused rather than parsed. */
export const MAX_EXPERTISE_BYTES = 2 * 1024 * 1024;
/** Aliases allowed in one file; more is treated as an alias bomb. */
const MAX_ALIASES = 200;

export interface LoadedExpertise {
  file: string;
  /** The document, comments and formatting kept, for merging in place. */
  document: Document;
  data: ExpertiseFile;
}

export function expertisePath(workspace: string, domain: string): string {
  return path.join(workspace, 'expertise', domain, 'expertise.yaml');
}

/** Parses and validates expertise text; throws a ValidationError listing every problem. */
export function parseExpertise(text: string, file: string): LoadedExpertise {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const problems: ValidationProblem[] = yamlProblems(document.errors, file);
  if (problems.length > 0) throw new ValidationError(problems);
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new ValidationError([{ file, location: '', message: `${(error as Error).message} (too many aliases; is it an alias bomb?)` }]);
  }
  const parsed = ExpertiseFile.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodProblems(file, parsed.error));
  if (!SUPPORTED_EXPERTISE_VERSIONS.includes(String(parsed.data.version))) {
    throw new ValidationError([
      { file, location: 'version', message: `unknown version ${String(parsed.data.version)}; this release reads ${SUPPORTED_EXPERTISE_VERSIONS.join(', ')}: upgrade orchestrate or fix the version` },
    ]);
  }
  return { file, document, data: parsed.data };
}

/** Reads an expertise file; undefined when it does not exist. */
export async function readExpertise(file: string): Promise<LoadedExpertise | undefined> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return undefined;
  if (info.size > MAX_EXPERTISE_BYTES) {
    throw new UserError('EXPERTISE_TOO_LARGE', `${file}: ${info.size} bytes is over the ${MAX_EXPERTISE_BYTES}-byte limit; archive old learnings or split the file`);
  }
  return parseExpertise(await readFile(file, 'utf8'), file);
}
