import { readFile, stat } from 'node:fs/promises';
import { glob, picomatch } from '../runtime/lazy-modules.js';
import { z } from 'zod';
import { defineTool } from './tool.js';
import { assertReadable, assertRelativeGlob, PathError, resolveReadPath, toRepoPath } from './paths.js';

export const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST = 500;
/** Never listed or searched: what the read rules refuse, and dependencies. */
export const IGNORED = ['**/node_modules/**', '**/.git/**', 'pending-commits/**', 'expertise/**', '**/.env', '**/.env.*', '!**/.env.example'];

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Read a text file of the repository. Files staged earlier in this run are read as staged.',
  input: z.object({ path: z.string().min(1).describe('Path relative to the repository root') }),
  describe: (input) => input.path,
  async run(input, context) {
    const repoPath = toRepoPath(context.workspace, input.path);
    assertReadable(repoPath);
    const staged = await context.staging.read(repoPath);
    if (staged !== undefined) return staged;
    const file = resolveReadPath(context.workspace, repoPath);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new PathError(`no file at "${repoPath}"`);
    if (info.size > MAX_READ_BYTES) throw new PathError(`"${repoPath}" is ${info.size} bytes; files over ${MAX_READ_BYTES} are not read whole`);
    return readFile(file, 'utf8');
  },
});

export const listFilesTool = defineTool({
  name: 'list_files',
  description: 'List repository files matching a glob pattern, such as "src/**/*.ts". Staged files are included.',
  input: z.object({ pattern: z.string().min(1).default('**/*') }),
  describe: (input) => input.pattern,
  async run(input, context) {
    assertRelativeGlob(input.pattern);
    const found = await glob(input.pattern, { cwd: context.workspace, ignore: IGNORED, dot: true, followSymbolicLinks: false });
    const staged = context.staging.files().map((file) => file.path).filter((p) => matchesPattern(input.pattern, p));
    const all = [...new Set([...found, ...staged])].sort();
    const shown = all.slice(0, MAX_LIST);
    return shown.join('\n') + (all.length > MAX_LIST ? `\n(${all.length - MAX_LIST} more not shown)` : '') || '(no files)';
  },
});

function matchesPattern(pattern: string, candidate: string): boolean {
  return picomatch().isMatch(candidate, pattern, { dot: true });
}
