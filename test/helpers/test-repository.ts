import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runGeneratedTests, type GeneratedTestRun, type RunGeneratedTestsOptions } from '../../src/tools/run-tests.js';
import { selectWorkingTree } from '../../src/tools/working-tree-copy.js';
import { REPO_ROOT, writeTree } from './workspace.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A repository for `run_tests` in a temp directory: its files, and a node_modules holding only
 * the named packages (linked to orchestrate's installed ones), or all of orchestrate's when
 * `packages` is 'all'; a git repository of those files (node_modules ignored). Removed after the test.
 */
export function testRepository(files: Record<string, string>, packages: readonly string[] | 'all'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-runner-repo-'));
  created.push(dir);
  writeTree(dir, { '.gitignore': 'node_modules\n', ...files });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-q', '-m', 'init', '--allow-empty');
  if (packages === 'all') {
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  } else {
    for (const name of packages) {
      mkdirSync(path.dirname(path.join(dir, 'node_modules', name)), { recursive: true });
      symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
    }
  }
  return dir;
}

/** Staged files in a temp directory, as `runGeneratedTests` takes them. Removed after the test. */
export function stagedFiles(files: Record<string, string>): { sourceDir: string; files: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-staged-'));
  created.push(dir);
  writeTree(dir, files);
  return { sourceDir: dir, files: Object.keys(files) };
}

/** `run_tests` as the tool calls it: the staged files over the repository's working tree. */
export async function runStagedTests(workspace: string, files: Record<string, string>, options: Partial<RunGeneratedTestsOptions> = {}): Promise<GeneratedTestRun> {
  const workingTree = await selectWorkingTree(workspace, () => false);
  return runGeneratedTests({ ...stagedFiles(files), workspace, ...(workingTree ? { workingTree } : {}), ...options });
}
