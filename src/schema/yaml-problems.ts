import type { YAMLError } from 'yaml';
import type { ValidationProblem } from '../errors.js';

/** YAML syntax errors as problems with line and column; `lineOffset` counts lines before the YAML. */
export function yamlProblems(errors: readonly YAMLError[], file: string, prefix = '', lineOffset = 0): ValidationProblem[] {
  return errors.map((error) => ({
    file,
    location: error.linePos ? `line ${error.linePos[0].line + lineOffset}, column ${error.linePos[0].col}` : '',
    message: `${prefix}${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
}

/** Most alias uses a workflow or frontmatter may make: plenty for anchors, far from a "billion laughs". */
export const MAX_ALIASES = 100;

/**
 * A parsed YAML document as plain data, or the problem that stopped it: aliases that expand past
 * {@link MAX_ALIASES} uses (a "billion laughs" document) are a problem of the file, not a crash.
 */
export function toPlainData(document: { toJS(options: { maxAliasCount: number }): unknown }, file: string): { data?: unknown; problems: ValidationProblem[] } {
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIASES }), problems: [] };
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    return { problems: [{ file, location: '', message: `its YAML aliases expand too far (more than ${MAX_ALIASES} uses, as in a "billion laughs" document); write the values out` }] };
  }
}
