import { readFile, stat } from 'node:fs/promises';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { defineTool } from './tool.js';
import { assertReadable, PathError, resolveReadPath, toRepoPath } from './paths.js';

const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST = 500;
const MAX_MATCHES = 200;
const IGNORED = ['**/node_modules/**', '.git/**', 'pending-commits/**', '**/.env', '**/.env.*', '!**/.env.example'];

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
    if (input.pattern.split('/').includes('..') || input.pattern.startsWith('/')) {
      throw new PathError('patterns are relative to the repository root and may not contain ..');
    }
    const found = await glob(input.pattern, { cwd: context.workspace, ignore: IGNORED, dot: true, followSymbolicLinks: false });
    const staged = context.staging.files().map((file) => file.path).filter((p) => matchesPattern(input.pattern, p));
    const all = [...new Set([...found, ...staged])].sort();
    const shown = all.slice(0, MAX_LIST);
    return shown.join('\n') + (all.length > MAX_LIST ? `\n(${all.length - MAX_LIST} more not shown)` : '') || '(no files)';
  },
});

export const searchTool = defineTool({
  name: 'search',
  description: 'Search repository files for a regular expression; returns path:line: text for each match.',
  input: z.object({
    pattern: z.string().min(1).describe('JavaScript regular expression'),
    glob: z.string().default('**/*').describe('Which files to search'),
  }),
  describe: (input) => `${input.pattern} in ${input.glob}`,
  async run(input, context) {
    let regex: RegExp;
    try {
      regex = new RegExp(input.pattern);
    } catch (error) {
      throw new PathError(`not a valid regular expression: ${(error as Error).message}`);
    }
    const files = (await glob(input.glob, { cwd: context.workspace, ignore: IGNORED, dot: true, followSymbolicLinks: false })).sort();
    const matches: string[] = [];
    for (const file of files) {
      if (matches.length >= MAX_MATCHES) break;
      const text = await readSearchable(context.workspace, file);
      if (text.length > MAX_READ_BYTES || text.includes('\0')) continue;
      text.split('\n').forEach((line, i) => {
        if (matches.length < MAX_MATCHES && regex.test(line)) matches.push(`${file}:${i + 1}: ${line.slice(0, 200)}`);
      });
    }
    return matches.join('\n') || '(no matches)';
  },
});

function matchesPattern(pattern: string, candidate: string): boolean {
  return picomatch.isMatch(candidate, pattern, { dot: true });
}

/** A file's text for search; empty for a file the read rules refuse (a link out, .env) or that cannot be read. */
async function readSearchable(workspace: string, file: string): Promise<string> {
  try {
    return await readFile(resolveReadPath(workspace, file), 'utf8');
  } catch {
    return '';
  }
}
