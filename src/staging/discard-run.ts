import { realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { withRunLock } from './run-lock.js';
import { runState } from './run-state.js';
import { loadRun, readManifest, writeManifest } from './run-store.js';
import { runPath } from './run-layout.js';

/** What {@link discardRun} did. */
export interface DiscardResult {
  runId: string;
  outcome: 'discarded' | 'already-discarded';
}

/**
 * Discards a run that has not been applied: its staged files and notes are deleted and the
 * manifest is marked `discarded`, so it can never be applied. The manifest, journal, log and
 * report stay as the record of what happened. A run still running, or already applied, is refused.
 *
 * @example
 * await discardRun({ workspace: process.cwd(), runId: '20261122-010512-twilio-3f9a1c' });
 */
export async function discardRun(options: { workspace: string; runId: string; clock?: Clock }): Promise<DiscardResult> {
  const workspace = realpathSync(path.resolve(options.workspace));
  const { dir } = await loadRun(workspace, options.runId);
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
    await rm(runPath(dir, 'files'), { recursive: true, force: true });
    await rm(runPath(dir, 'notes'), { recursive: true, force: true });
    return { runId: id, outcome: 'discarded' };
  });
}
