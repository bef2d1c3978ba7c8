import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { stagedPath } from '../staging/run-layout.js';

/**
 * A staged file as a unified diff against the workspace's copy (a new file against /dev/null),
 * made by git's own diff (`git diff --no-index`), labelled with the repository path.
 */
export function stagedFileDiff(workspace: string, runDir: string, repoPath: string): Promise<string> {
  const staged = stagedPath(runDir, repoPath);
  const current = path.join(workspace, ...repoPath.split('/'));
  const before = existsSync(current) ? current : '/dev/null';
  const args = ['diff', '--no-index', '--no-color', '--no-ext-diff', `--src-prefix=a/`, `--dst-prefix=b/`, '--', before, staged];
  return new Promise((resolve, reject) => {
    // Exit 1 means "the files differ": that is the answer, not a failure.
    execFile('git', args, { cwd: workspace, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error && (error as { code?: unknown }).code !== 1) return reject(error);
      resolve(relabel(stdout, before, staged, repoPath));
    });
  });
}

/** git names the two files by their paths on disk; the page shows the repository path. */
function relabel(diff: string, before: string, staged: string, repoPath: string): string {
  const strip = (p: string) => p.replace(/^\/+/, '');
  let out = diff.split(strip(staged)).join(repoPath);
  if (before !== '/dev/null') out = out.split(strip(before)).join(repoPath);
  return out;
}
