import path from 'node:path';
import { UserError } from '../errors.js';
import { acquireLock } from '../expertise/lock.js';
import type { GitRepository } from './repository.js';

/**
 * Runs `work` holding the repository's apply lock, `<git dir>/orchestrate-apply.lock`: one
 * `orchestrate apply` at a time per repository, across processes (and worktrees, which share
 * the git dir). It is the expertise file lock (src/expertise/lock.ts): a second apply waits for
 * the first, and a lock whose process is gone is taken over, so a killed apply never blocks the next.
 */
export async function withApplyLock<T>(repo: GitRepository, work: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  const target = path.join(await repo.commonDir(), 'orchestrate-apply');
  const lock = await acquireLock(target, { waitMs: options.waitMs ?? 120_000 }).catch((error: unknown) => {
    if (error instanceof UserError && error.code === 'EXPERTISE_LOCKED') {
      throw new UserError('APPLY_LOCKED', `another orchestrate apply is still running in ${repo.root}; wait for it to finish, or delete ${target}.lock if no orchestrate is running`);
    }
    throw error;
  });
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
