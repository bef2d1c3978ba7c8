import { glob, re2 } from '../runtime/lazy-modules.js';
import { z } from 'zod';
import { assertRelativeGlob, PathError, resolveReadPath } from './paths.js';
import { IGNORED, MAX_READ_BYTES } from './read-tools.js';
import { matchInWorker } from './search-worker.js';
import { defineTool } from './tool.js';

const MAX_MATCHES = 200;
/** Lines longer than this are searched but shown cut. */
const SHOWN_LINE = 200;

/**
 * `search`: a regular expression over the repository's files, with RE2 (re2-wasm), whose
 * matching time is linear in the text: a pattern such as `(a+)+$` cannot hang the process the
 * way it hangs a backtracking engine. RE2 has no lookaround and no backreferences; such a pattern
 * is refused with the reason. The matching runs in a worker thread that the task's signal (its
 * timeout, Ctrl-C) terminates, since even linear matching can take seconds on one line.
 */
export const searchTool = defineTool({
  name: 'search',
  description:
    'Search repository files for a regular expression (RE2 syntax: no lookaround or backreferences); returns path:line: text for each match.',
  input: z.object({
    pattern: z.string().min(1).max(1000).describe('Regular expression, RE2 syntax'),
    glob: z.string().default('**/*').describe('Which files to search'),
  }),
  describe: (input) => `${input.pattern} in ${input.glob}`,
  async run(input, context) {
    assertRelativeGlob(input.glob);
    // Compiled here too, so a pattern RE2 refuses is answered with the reason at once.
    try {
      new (re2())(input.pattern, 'u');
    } catch (error) {
      throw new PathError(`not a valid regular expression (RE2 syntax): ${(error as Error).message}`);
    }
    const files = (await glob(input.glob, { cwd: context.workspace, ignore: IGNORED, dot: true, followSymbolicLinks: false })).sort();
    // The read rules are applied here; a file they refuse (a link out, .env) is left out.
    const readable: Array<{ shown: string; file: string }> = [];
    for (const file of files) {
      context.signal.throwIfAborted();
      const real = readablePath(context.workspace, file);
      if (real) readable.push({ shown: file, file: real });
    }
    const matches = await matchInWorker({ pattern: input.pattern, files: readable, maxMatches: MAX_MATCHES, maxBytes: MAX_READ_BYTES, shownLine: SHOWN_LINE }, context.signal);
    return matches.join('\n') || '(no matches)';
  },
});

/** A file's real path for search; undefined for a file the read rules refuse (a link out, .env). */
function readablePath(workspace: string, file: string): string | undefined {
  try {
    return resolveReadPath(workspace, file);
  } catch {
    return undefined;
  }
}
