import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { yaml } from '../runtime/lazy-modules.js';
import { ValidationError, type ValidationProblem } from '../errors.js';
import { EXPERTISE_FORMAT_KEY, ExpertiseFile, normaliseLearnings, SUPPORTED_EXPERTISE_FORMATS } from '../schema/expertise.js';
import { yamlProblems } from '../schema/yaml-problems.js';
import { firstAlias, locate, locatedZodProblems } from './locate.js';

/** Expertise files larger than this are refused rather than parsed. */
export const MAX_EXPERTISE_BYTES = 2 * 1024 * 1024;
/** Aliases allowed in one file; more is treated as an alias bomb. */
const MAX_ALIASES = 200;

export interface LoadedExpertise {
  file: string;
  /** The document, comments and formatting kept, for merging in place. */
  document: Document;
  /** Line positions of the document's nodes, for `line L, column C` locations. */
  lines: LineCounter;
  data: ExpertiseFile;
}

export function expertisePath(workspace: string, domain: string): string {
  return path.join(workspace, 'expertise', domain, 'expertise.yaml');
}

/** The outcome of checking expertise text: the loaded file, or every problem found in it. */
export type ExpertiseCheck = { ok: true; loaded: LoadedExpertise } | { ok: false; problems: ValidationProblem[] };

/**
 * Checks expertise text and reports every problem at once, each with its line and column:
 * YAML syntax errors, an alias bomb, wrong types and an unknown `orchestrate_format`.
 */
export function checkExpertise(text: string, file: string): ExpertiseCheck {
  const lines = new (yaml().LineCounter)();
  const document = yaml().parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
  const syntax = yamlProblems(document.errors, file);
  if (syntax.length > 0) return { ok: false, problems: syntax };
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = `${(error as Error).message.split('\n')[0]} (more than ${MAX_ALIASES} alias expansions: is it an alias bomb?)`;
    return { ok: false, problems: [{ file, location: firstAlias(document, lines), message }] };
  }
  const problems: ValidationProblem[] = [];
  const parsed = ExpertiseFile.safeParse(normaliseLearnings(raw));
  if (!parsed.success) problems.push(...locatedZodProblems(file, document, lines, parsed.error));
  // `version` is the content's own revision (AgileFlow: 1.0 -> 1.4); orchestrate's format, if a file states one, is under its own key.
  const format = (raw as Record<string, unknown> | null)?.[EXPERTISE_FORMAT_KEY];
  if (format !== undefined && !SUPPORTED_EXPERTISE_FORMATS.includes(format as number)) {
    problems.push({
      file,
      location: locate(document, lines, [EXPERTISE_FORMAT_KEY]),
      message: `${EXPERTISE_FORMAT_KEY} ${JSON.stringify(format)} is not a format this release reads (${SUPPORTED_EXPERTISE_FORMATS.join(', ')}): upgrade orchestrate`,
    });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, loaded: { file, document, lines, data: parsed.data } };
}

/** Parses and validates expertise text; throws a ValidationError listing every problem. */
export function parseExpertise(text: string, file: string): LoadedExpertise {
  const check = checkExpertise(text, file);
  if (!check.ok) throw new ValidationError(check.problems);
  return check.loaded;
}

/**
 * Reads a YAML file that must stay under `maxBytes`; undefined when it does not exist.
 * The size is checked before reading, so a huge file is never loaded into memory.
 */
export async function readBoundedText(file: string, maxBytes: number, advice: string): Promise<string | undefined> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!info) return undefined;
  if (!info.isFile()) throw new ValidationError([{ file, location: '', message: 'is not a regular file' }]);
  if (info.size > maxBytes) {
    throw new ValidationError([{ file, location: '', message: `${info.size} bytes is over the ${maxBytes}-byte limit; ${advice}` }]);
  }
  return readFile(file, 'utf8');
}

/** Reads an expertise file; undefined when it does not exist. */
export async function readExpertise(file: string): Promise<LoadedExpertise | undefined> {
  const text = await readBoundedText(file, MAX_EXPERTISE_BYTES, 'move old learnings to archive.yaml or split the file');
  return text === undefined ? undefined : parseExpertise(text, file);
}
