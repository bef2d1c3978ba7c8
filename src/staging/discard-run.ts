import { realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { withRunLock } from './run-lock.js';
import { runState } from './run-state.js';
import { loadRun, readManifest, writeManifest } from './run-store.js';
import { runPath, runsDir } from './run-layout.js';

/** What {@link discardRun} did. */
export interface DiscardResult {
  runId: string;
  /** `removed`: the run was interrupted while being created (no readable manifest); its folder is gone. */
  outcome: 'discarded' | 'already-discarded' | 'removed';
  /** Learnings of the run taken back from the expertise (removed, or their count lowered). */
  learningsWithdrawn?: number;
}

/**
 * Discards a run that has not been applied: its staged files and notes are deleted, its
 * learnings withdrawn from the expertise, and the manifest is marked `discarded`, so it can never be applied. The manifest, journal, log and
 * report stay as the record of what happened. A run still running, or already applied, is refused.
 *
 * @example
 * await discardRun({ workspace: process.cwd(), runId: '20261122-010512-twilio-3f9a1c' });
 */
export async function discardRun(options: { workspace: string; runId: string; clock?: Clock }): Promise<DiscardResult> {
  const workspace = realpathSync(path.resolve(options.workspace));
  const found = await loadRun(workspace, options.runId).catch((error: unknown) => {
    if (error instanceof UserError && error.code === 'BAD_MANIFEST') return undefined;
    throw error;
  });
  if (!found) return removeHalfCreated(path.join(runsDir(workspace), options.runId), options.runId);
  const { dir } = found;
  return withRunLock(dir, async () => {
    const manifest = await readManifest(dir);
    const id = manifest.runId;
    const state = runState(manifest);
    if (state === 'discarded') return { runId: id, outcome: 'already-discarded' };
    if (state === 'running') throw new UserError('RUN_RUNNING', `run ${id} is still running${manifest.owner ? ` (pid ${manifest.owner.pid})` : ''}; stop it (Ctrl-C) before discarding it`);
    if (state === 'applied') {
      const commit = manifest.applied?.commit ? ` as commit ${manifest.applied.commit.slice(0, 12)} on ${manifest.applied.branch}` : '';
      throw new UserError('RUN_APPLIED', `run ${id} was already applied${commit}; undo it in git (git revert) instead`);
    }
    // Mark first: a crash part-way leaves a discarded run with some files, never a live one without them.
    const discardedAt = new Date((options.clock ?? systemClock).now()).toISOString();
    await writeManifest(dir, { ...manifest, status: 'discarded', discardedAt, owner: undefined });
    await rm(path.dirname(runPath(dir, 'files')), { recursive: true, force: true });
    await rm(runPath(dir, 'notes'), { recursive: true, force: true });
    // What a discarded run learned is not what the team does: its learnings are withdrawn.
    // The expertise machinery loads here, not with the package: only a discard takes learnings back.
    const { withdrawRunLearnings } = await import('../expertise/withdraw.js');
    const learningsWithdrawn = await withdrawRunLearnings(workspace, dir);
    return { runId: id, outcome: 'discarded', ...(learningsWithdrawn ? { learningsWithdrawn } : {}) };
  });
}

/**
 * A run killed while being created has a folder but no readable manifest: nothing can resume or
 * apply it, so discarding it removes the folder whole (there is no manifest to keep as a record).
 */
async function removeHalfCreated(dir: string, runId: string): Promise<DiscardResult> {
  return withRunLock(dir, async () => {
    const readable = await readManifest(dir).then(
      () => true,
      () => false,
    );
    if (readable) throw new UserError('RUN_BUSY', `run ${runId} got its manifest while being discarded: it is being created; wait for it, then discard it again`);
    await rm(dir, { recursive: true, force: true });
    return { runId, outcome: 'removed' };
  });
}
