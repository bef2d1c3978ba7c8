import { readFile, stat } from 'node:fs/promises';
import { glob, picomatch } from '../runtime/lazy-modules.js';
import { z } from 'zod';
import { defineTool } from './tool.js';
import { assertReadable, assertRelativeGlob, PathError, resolveReadPath, toRepoPath } from './paths.js';

export const MAX_READ_BYTES = 256 * 1024;
/** A file is read in parts past this size; the reply says what was left out and how to read on. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** What one read returns at most, unless the agent asks for fewer lines. */
export const READ_LINES = 2000;
export const READ_CHARS = 48 * 1024;
const MAX_LIST = 500;
/** Never listed or searched: what the read rules refuse, and dependencies. */
export const IGNORED = ['**/node_modules/**', '**/.git/**', 'pending-commits/**', 'expertise/**', '**/.env', '**/.env.*', '!**/.env.example'];

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    `Read a text file of the repository, at most ${READ_LINES} lines or ${READ_CHARS / 1024} KiB at a time; ` +
    'the reply says what was left out, and offset and limit read the rest. Files staged earlier in this run are read as staged.',
  input: z.object({
    path: z.string().min(1).describe('Path relative to the repository root'),
    offset: z.number().int().positive().optional().describe('First line to read, from 1'),
    limit: z.number().int().positive().optional().describe(`How many lines to read (at most ${READ_LINES})`),
  }),
  describe: (input) => (input.offset || input.limit ? `${input.path} from line ${input.offset ?? 1}` : input.path),
  async run(input, context) {
    const repoPath = toRepoPath(context.workspace, input.path);
    assertReadable(repoPath);
    const staged = await context.staging.read(repoPath);
    if (staged !== undefined) return linesOf(staged, repoPath, input.offset, input.limit);
    const file = resolveReadPath(context.workspace, repoPath);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new PathError(`no file at "${repoPath}"`);
    if (info.size > MAX_FILE_BYTES) throw new PathError(`"${repoPath}" is ${info.size} bytes; files over ${MAX_FILE_BYTES} are not read; use search to find what you need in it`);
    return linesOf(await readFile(file, 'utf8'), repoPath, input.offset, input.limit);
  },
});

/**
 * The lines of a text from `offset`, at most `limit` (and {@link READ_CHARS} characters), with a
 * closing line saying what was left out and how to read on. A whole small file comes back as it is.
 */
export function linesOf(text: string, repoPath: string, offset = 1, limit = READ_LINES): string {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const first = Math.min(offset, lines.length + 1);
  let last = Math.min(lines.length, first - 1 + Math.min(limit, READ_LINES));
  let shown = lines.slice(first - 1, last).join('\n');
  let lineCut = false;
  if (shown.length > READ_CHARS) {
    const cut = shown.lastIndexOf('\n', READ_CHARS);
    lineCut = cut <= 0;
    shown = lineCut ? shown.slice(0, READ_CHARS) : shown.slice(0, cut);
    last = first - 1 + shown.split('\n').length;
  }
  if (first === 1 && last === lines.length && !lineCut) return text;
  if (first > lines.length) return `(${repoPath} has ${lines.length} lines; nothing from line ${offset})`;
  if (lineCut) return `${shown}\n(line ${first} of ${repoPath} cut at ${READ_CHARS} characters; use search to find what you need in it)`;
  const more = last < lines.length ? `; read on with offset ${last + 1}` : '';
  return `${shown}\n(lines ${first}-${last} of ${lines.length} in ${repoPath}${more})`;
}

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
