import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import type { Manifest } from '../schema/manifest.js';
import { runState } from '../staging/run-state.js';

/**
 * What apply does to one path, against the branch it commits to: `add` a new file, `modify`
 * one the branch left as the run found it (the run's version), `merge` one both changed (a
 * three-way merge keeping the branch's lines), `delete`, or nothing (`unchanged`, `absent`).
 */
export type FileAction = 'add' | 'modify' | 'merge' | 'delete' | 'unchanged' | 'absent';

/** One line of the plan: the path, what happens to it, and who staged it. */
export interface PlannedChange {
  path: string;
  action: FileAction;
  phase: string;
  task: string;
  agent: string;
  /** A reviewer changed the staged file after the run. */
  edited: boolean;
}

/** The branch a run commits to: `integration/<service>`, or `orchestrate/<workflow>`. */
export function defaultBranch(manifest: Pick<Manifest, 'inputs' | 'workflow'>): string {
  const service = manifest.inputs.service;
  return typeof service === 'string' && service ? `integration/${service}` : `orchestrate/${manifest.workflow}`;
}

/** Refuses a run that is not complete, saying what to do instead. */
export function assertAppliable(manifest: Manifest): void {
  const id = manifest.runId;
  const state = runState(manifest);
  const refuse = (code: string, why: string) => new UserError(code, `run ${id} ${why}`);
  switch (state) {
    case 'complete':
    case 'applied':
      return;
    case 'running':
      throw refuse('RUN_RUNNING', `is still running${manifest.owner ? ` (pid ${manifest.owner.pid} on ${manifest.owner.host})` : ''}; wait for it to finish`);
    case 'interrupted':
      throw refuse('RUN_INCOMPLETE', `is incomplete (interrupted); resume it with orchestrate resume ${id}, or discard it with orchestrate discard ${id}`);
    case 'failed':
      throw refuse('RUN_FAILED', `failed, so its staged files are incomplete; see pending-commits/${id}/report.yaml, then start a new run, or discard it with orchestrate discard ${id}`);
    case 'discarded':
      throw refuse('RUN_DISCARDED', 'was discarded; there is nothing to apply');
  }
}

/** Git's object id of a blob: SHA-1 (40 hex) or, in SHA-256 repositories, SHA-256 (64 hex). */
export function gitBlobId(content: Buffer, idLength = 40): string {
  return createHash(idLength === 64 ? 'sha256' : 'sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}
