import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { stagedPath } from '../staging/run-layout.js';
import { GitRepository } from './repository.js';

/**
 * A staged file as a unified diff against the file at the run's base commit (the manifest's
 * `base.commit`), so a change the person made since the run (committed or not) never shows as
 * the run's; a file absent at the base diffs against /dev/null. A run that recorded no base
 * (made outside git) diffs against the workspace's copy. The diff is git's own
 * (`git diff --no-index`), labelled with the repository path.
 */
export async function stagedFileDiff(workspace: string, runDir: string, repoPath: string, base: string | undefined): Promise<string> {
  const staged = stagedPath(runDir, repoPath);
  if (!base) {
    const current = path.join(workspace, ...repoPath.split('/'));
    return diffFiles(workspace, existsSync(current) ? current : '/dev/null', staged, repoPath);
  }
  const original = await baseContent(workspace, base, repoPath);
  if (original === undefined) return diffFiles(workspace, '/dev/null', staged, repoPath);
  const dir = await mkdtemp(path.join(tmpdir(), 'orchestrate-diff-'));
  try {
    const before = path.join(dir, 'base');
    await writeFile(before, original);
    return await diffFiles(workspace, before, staged, repoPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file's bytes at the base commit (read through simple-git), or undefined when the base has no such file. */
async function baseContent(workspace: string, base: string, repoPath: string): Promise<Buffer | undefined> {
  const repo = await GitRepository.open(workspace);
  if (!(await repo.resolve(base))) {
    throw new UserError('BASE_MISSING', `the run was made on commit ${base.slice(0, 12)}, which is not in this repository any more (history rewritten, or another clone); its diffs have nothing to compare with`);
  }
  // Staged paths are relative to the workspace, which may be a folder inside the repository.
  const prefix = path.relative(repo.root, realpathSync(workspace)).split(path.sep).join('/');
  const fromRoot = prefix ? `${prefix}/${repoPath}` : repoPath;
  const id = (await repo.blobIds(base, [fromRoot])).get(fromRoot);
  return id ? repo.readBlob(id) : undefined;
}

function diffFiles(cwd: string, before: string, staged: string, repoPath: string): Promise<string> {
  const args = ['diff', '--no-index', '--no-color', '--no-ext-diff', `--src-prefix=a/`, `--dst-prefix=b/`, '--', before, staged];
  return new Promise((resolve, reject) => {
    // Exit 1 means "the files differ": that is the answer, not a failure.
    execFile('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
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
