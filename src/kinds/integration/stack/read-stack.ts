import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { detectStack, type DetectedStack } from './detect.js';

/**
 * The stack of the repository at `workspace`, read from disk: package.json, tsconfig.json, the
 * lockfiles and the files of the usual source roots. For callers outside the agent loop (the
 * Claude agents' prompts); the offline model reads the same facts through its tools.
 */
export async function readStack(workspace: string): Promise<DetectedStack> {
  const read = (file: string) => readFile(path.join(workspace, file), 'utf8').catch(() => undefined);
  const top = await readdir(workspace, { withFileTypes: true }).catch(() => []);
  const files = top.filter((entry) => entry.isFile()).map((entry) => entry.name);
  for (const root of ['src', 'lib', 'app']) {
    if (!top.some((entry) => entry.isDirectory() && entry.name === root)) continue;
    const inside = await readdir(path.join(workspace, root), { recursive: true }).catch(() => [] as string[]);
    files.push(...inside.slice(0, 200).map((name) => `${root}/${String(name).split(path.sep).join('/')}`));
  }
  return detectStack({ packageJson: await read('package.json'), tsconfig: await read('tsconfig.json'), files });
}
