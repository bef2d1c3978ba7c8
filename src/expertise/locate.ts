import type { Document, LineCounter } from 'yaml';
import { yaml } from '../runtime/lazy-modules.js';
import type { z } from 'zod';
import type { ValidationProblem } from '../errors.js';
import { formatPath } from '../schema/problems.js';

/** `line L, column C` of a path in the document: the deepest node of the path that exists. */
export function lineAndColumn(document: Document, lines: LineCounter, path: readonly PropertyKey[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as unknown[], true);
    if (yaml().isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `line ${line}, column ${col}`;
    }
  }
  return 'line 1, column 1';
}

/** A path inside the file with its line and column: `learnings[2].date, line 14, column 7`. */
export function locate(document: Document, lines: LineCounter, path: readonly PropertyKey[]): string {
  const where = lineAndColumn(document, lines, path);
  return path.length ? `${formatPath(path)}, ${where}` : where;
}

/** Every issue of a failed zod parse, located by line and column in the YAML. */
export function locatedZodProblems(file: string, document: Document, lines: LineCounter, error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    file,
    location: locate(document, lines, issue.path),
    message: issue.message,
  }));
}

/** Where the first alias is, so an alias bomb is reported at a line and column. */
export function firstAlias(document: Document, lines: LineCounter): string {
  let where = 'line 1, column 1';
  yaml().visit(document, {
    Alias(_key, node) {
      if (node.range) {
        const { line, col } = lines.linePos(node.range[0]);
        where = `line ${line}, column ${col}`;
      }
      return yaml().visit.BREAK;
    },
  });
  return where;
}
