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
