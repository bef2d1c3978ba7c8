import { UserError } from '../errors.js';
import type { RunPlan } from '../engine/plan.js';
import type { Manifest } from '../schema/manifest.js';
import { readJournalStrict } from '../staging/journal-read.js';
import { hostname } from 'node:os';
import { processAlive, runState } from '../staging/run-state.js';
import { loadRun } from '../staging/run-store.js';
import { foldJournal, type RunFold } from './resume-fold.js';
import { runPath } from '../staging/run-layout.js';

/** An interrupted run, read back to be resumed. */
export interface ResumePoint {
  runId: string;
  dir: string;
  manifest: Manifest;
  fold: RunFold;
  /** The workflow as the run was given it: a name or a YAML file's path. */
  workflow: string;
  inputs: Record<string, unknown>;
  /** The provider the run started with (`offline`, `anthropic`), kept unless the resume names one. */
  provider: string | undefined;
  /** True when the journal's last line was cut by the crash and left out. */
  tornTail: boolean;
}

/**
 * Reads an interrupted run for `orchestrate resume`: its manifest (the run must be interrupted:
 * stopped with Ctrl-C, or its process gone) and its journal, folded. Every reason it cannot be
 * resumed is a one-line {@link UserError} saying what to do instead.
 */
export async function loadResumePoint(workspace: string, given: string, options: { answering?: boolean } = {}): Promise<ResumePoint> {
  const { runId, dir, manifest } = await loadRun(workspace, given);
  const state = runState(manifest);
  if (options.answering) checkAwaitingApproval(runId, manifest, state);
  else if (state !== 'interrupted') throw new UserError('NOT_RESUMABLE', notResumable(runId, manifest, state));
  const { events, tornTail } = await readJournalStrict(runPath(dir, 'journal'), runId);
  const fold = foldJournal(events);
  return {
    runId,
    dir,
    manifest,
    fold,
    workflow: fold.runStart?.source ?? manifest.workflow,
    inputs: fold.runStart?.inputs ?? manifest.inputs,
    provider: fold.runStart?.provider,
    tornTail,
  };
}

/** Refuses a resume whose workflow no longer has the tasks the journal says were done. */
export function checkResumable(point: ResumePoint, plan: RunPlan): void {
  const ids = new Set(plan.tasks.map((task) => task.id));
  const gone = [...point.fold.completed.keys()].filter((id) => !ids.has(id));
  if (gone.length) {
    throw new UserError(
      'RESUME_MISMATCH',
      `workflow ${plan.workflow} has changed since run ${point.runId} started: it has no task ${gone.map((id) => `"${id}"`).join(', ')}; restore the workflow, or discard the run (orchestrate discard ${point.runId}) and start again`,
    );
  }
}

/** An approval is answered only for a run that waits for one, with nobody asking it live. */
function checkAwaitingApproval(runId: string, manifest: Manifest, state: string): void {
  if (state !== 'awaiting-approval') {
    throw new UserError('NOT_AWAITING_APPROVAL', `run ${runId} is not waiting for approval (it is ${state}); only a run stopped at an approval can be approved or rejected (see orchestrate runs)`);
  }
  const owner = manifest.owner;
  if (owner && owner.pid !== process.pid && (owner.host !== hostname() || processAlive(owner.pid))) {
    throw new UserError('APPROVAL_ASKED_ELSEWHERE', `run ${runId} is asking for its approval in another process (pid ${owner.pid} on ${owner.host}); answer it there, or stop that process and approve it here`);
  }
}

function notResumable(runId: string, manifest: Manifest, state: string): string {
  switch (state) {
    case 'awaiting-approval':
      return `run ${runId} is waiting for approval: orchestrate approve ${runId}, or orchestrate reject ${runId} --message "<why>"`;
    case 'rejected':
      return `run ${runId} was rejected at an approval; see why with orchestrate show ${runId}, then start a new run`;
    case 'running':
      return `run ${runId} is still running${manifest.owner ? ` (pid ${manifest.owner.pid} on ${manifest.owner.host})` : ''}; wait for it, or stop it with Ctrl-C and resume it then`;
    case 'complete':
      return `run ${runId} is complete: there is nothing to resume; review it with orchestrate show ${runId}, then orchestrate apply ${runId}`;
    case 'failed':
      return `run ${runId} failed, it was not interrupted: see why with orchestrate show ${runId}, then start a new run`;
    default:
      return `run ${runId} is ${state}: only an interrupted run can be resumed (see orchestrate runs)`;
  }
}
