import type { z } from 'zod';
import type { ValidationProblem } from '../errors.js';

/** `['phases', 1, 'tasks', 0, 'agent']` -> `phases[1].tasks[0].agent`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** Every issue of a failed zod parse, as problems located in `file`. */
export function zodProblems(file: string, error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    file,
    location: formatPath(issue.path),
    message: issue.message,
  }));
}
