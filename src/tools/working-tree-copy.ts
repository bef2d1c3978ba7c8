import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { workingTreeFiles } from '../git/repository.js';
import { isReadable } from './paths.js';

/** The caps on what `run_tests` copies of the repository's working tree into its scratch directory. */
export const WORKING_TREE_CAPS = { fileBytes: 1024 * 1024, totalBytes: 64 * 1024 * 1024, files: 20_000 } as const;

/** What of the working tree the scratch copy holds, and what it left out and why. */
export interface WorkingTreeSelection {
  files: string[];
  /** One line per reason, with how many files it left out; empty when nothing was. */
  skipped: string[];
}

/**
 * The working-tree files of the repository at `workspace` (`git ls-files -co --exclude-standard`,
 * so nothing .gitignore excludes) to copy under a run's staged files, minus the ones `removed`
 * says the run deletes. Left out, and said so: node_modules, what agents may not read (.git,
 * `.env` files other than `.env.example`, pending-commits/, expertise/), symlinks and anything
 * not a regular file, files over 1 MiB, and whatever comes after 20,000 files or 64 MiB.
 * Undefined outside git.
 */
export async function selectWorkingTree(workspace: string, removed: (file: string) => boolean): Promise<WorkingTreeSelection | undefined> {
  const listed = await workingTreeFiles(workspace);
  if (listed === undefined) return undefined;
  const counts = new Map<string, number>();
  const skip = (reason: string) => counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const files: string[] = [];
  let total = 0;
  for (const file of listed.sort()) {
    if (removed(file)) continue;
    // Installed packages are linked read-only instead.
    if (file.split('/').includes('node_modules')) {
      skip('under node_modules');
      continue;
    }
    // The sandbox sees no more of the repository than the agents' read tools: no .git, .env files, pending-commits/ or expertise/.
    if (!isReadable(file)) {
      skip('that agents may not read (.git, .env files, pending-commits/, expertise/)');
      continue;
    }
    const stat = await lstat(path.join(workspace, ...file.split('/'))).catch(() => undefined);
    if (!stat?.isFile()) {
      skip('symlinks, deleted or not regular files');
      continue;
    }
    if (stat.size > WORKING_TREE_CAPS.fileBytes) {
      skip('over 1 MiB each');
      continue;
    }
    if (files.length >= WORKING_TREE_CAPS.files || total + stat.size > WORKING_TREE_CAPS.totalBytes) {
      skip('past the cap of 20000 files or 64 MiB');
      continue;
    }
    files.push(file);
    total += stat.size;
  }
  return { files, skipped: [...counts].map(([reason, n]) => `${n} ${reason}`) };
}
