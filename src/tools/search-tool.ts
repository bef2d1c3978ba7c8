import { readFile } from 'node:fs/promises';
import type { RE2 } from 're2-wasm';
import { glob, re2 } from '../runtime/lazy-modules.js';
import { z } from 'zod';
import { assertRelativeGlob, PathError, resolveReadPath } from './paths.js';
import { IGNORED, MAX_READ_BYTES } from './read-tools.js';
import { defineTool } from './tool.js';

const MAX_MATCHES = 200;
/** Lines longer than this are searched but shown cut. */
const SHOWN_LINE = 200;

/**
 * `search`: a regular expression over the repository's files, with RE2 (re2-wasm), whose
 * matching time is linear in the text: a pattern such as `(a+)+$` cannot hang the process the
 * way it hangs a backtracking engine. RE2 has no lookaround and no backreferences; such a pattern
 * is refused with the reason. The task's signal (its timeout, Ctrl-C) is checked between files.
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
    let regex: RE2;
    try {
      regex = new (re2())(input.pattern, 'u');
    } catch (error) {
      throw new PathError(`not a valid regular expression (RE2 syntax): ${(error as Error).message}`);
    }
    const files = (await glob(input.glob, { cwd: context.workspace, ignore: IGNORED, dot: true, followSymbolicLinks: false })).sort();
    const matches: string[] = [];
    for (const file of files) {
      context.signal.throwIfAborted();
      if (matches.length >= MAX_MATCHES) break;
      const text = await readSearchable(context.workspace, file);
      if (text.length > MAX_READ_BYTES || text.includes('\0')) continue;
      text.split('\n').forEach((line, i) => {
        if (matches.length < MAX_MATCHES && regex.test(line)) matches.push(`${file}:${i + 1}: ${line.slice(0, SHOWN_LINE)}`);
      });
    }
    return matches.join('\n') || '(no matches)';
  },
});

/** A file's text for search; empty for a file the read rules refuse (a link out, .env) or that cannot be read. */
async function readSearchable(workspace: string, file: string): Promise<string> {
  try {
    return await readFile(resolveReadPath(workspace, file), 'utf8');
  } catch {
    return '';
  }
}
