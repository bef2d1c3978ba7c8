import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export { COMPAT_DIR } from './needs.js';
export const BIN = path.join(REPO_ROOT, 'bin', 'orchestrate.js');

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary git repository with the given files (`{ 'src/a.ts': '...' }`), removed after the test. */
export function tempRepo(files: Record<string, string> = { 'README.md': '# demo\n' }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-test-'));
  created.push(dir);
  writeTree(dir, files);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-q', '-m', 'init', '--allow-empty');
  return dir;
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
}

/** Names of the run folders in a workspace's pending-commits. */
export function runFolders(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, 'pending-commits')).filter((name) => !name.startsWith('.'));
  } catch {
    return [];
  }
}

/** Environment for child processes: no API key, whatever the developer's shell has. */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_AUTH_TOKEN;
  return env;
}
