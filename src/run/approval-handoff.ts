import { watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../errors.js';
import type { ApprovalDecisionEvent, RunEvent } from '../schema/events.js';
import type { RunOwner } from '../schema/manifest.js';
import { readJournalStrict } from '../staging/journal-read.js';
import { runPath } from '../staging/run-layout.js';
import { processAlive } from '../staging/run-state.js';
import { loadRun } from '../staging/run-store.js';
import { claimAnswer, readAnswer, type ClaimedReply } from './approval-answers.js';

/** An answer handed to the process asking the approval live, and what it recorded. */
export interface HandedOver {
  runId: string;
  phase: string;
  /** The process that asks and goes on with the run. */
  owner: RunOwner;
  /** The decision as its journal recorded it; undefined when that process ended before taking it (the answer is kept for a resume). */
  decision?: ApprovalDecisionEvent;
}

const POLL_MS = 500;

/**
 * Answers an approval that another live process on this machine is asking on its terminal: the
 * answer is claimed in the run folder, that process's prompt takes it and the run goes on (or
 * ends rejected) there. Waits until its journal records the decision. Returns undefined when no
 * live process asks (the caller resumes the run with the answer itself). The first answer wins:
 * an approval already answered is a {@link UserError} naming who answered, and nothing changes.
 */
export async function answerLiveApproval(workspace: string, given: string, reply: ClaimedReply): Promise<HandedOver | undefined> {
  const { runId, dir, manifest } = await loadRun(workspace, given);
  const owner = manifest.owner;
  const live = owner !== undefined && owner.pid !== process.pid && owner.host === hostname() && processAlive(owner.pid);
  if (!live || (manifest.status !== 'awaiting-approval' && manifest.status !== 'running')) return undefined;
  const journal = runPath(dir, 'journal');
  const asked = lastRequest((await readJournalStrict(journal, runId)).events);
  if (!asked) return undefined;
  const earlier = await readAnswer(dir, asked.phase);
  if (!earlier && (manifest.status !== 'awaiting-approval' || asked.decision)) return undefined;
  const claim = earlier ? { won: false, reply: earlier } : await claimAnswer(dir, asked.phase, reply);
  if (!claim.won) {
    const { decision, by, via, message } = claim.reply;
    throw new UserError('ALREADY_ANSWERED', `run ${runId}'s approval of phase "${asked.phase}" was already answered: ${decision} by ${by} (${via})${message ? `: ${message}` : ''}; your answer was not applied`);
  }
  const decision = await waitForDecision(journal, runId, asked.phase, owner);
  return { runId, phase: asked.phase, owner, ...(decision ? { decision } : {}) };
}

/** The last approval asked in the journal, with its decision if one was recorded. */
function lastRequest(events: readonly RunEvent[]): { phase: string; decision?: ApprovalDecisionEvent } | undefined {
  let asked: { phase: string; decision?: ApprovalDecisionEvent } | undefined;
  for (const event of events) {
    if (event.type === 'approval-request') asked = { phase: event.phase };
    else if (event.type === 'approval-decision' && asked?.phase === event.phase) asked.decision = event;
  }
  return asked;
}

/**
 * Resolves with the journal's decision of `phase`, or undefined when the asking process ended
 * without one. fs.watch on the journal with a read every {@link POLL_MS} ms as a fallback.
 */
function waitForDecision(journal: string, runId: string, phase: string, owner: RunOwner): Promise<ApprovalDecisionEvent | undefined> {
  return new Promise((resolve, reject) => {
    let watcher: FSWatcher | undefined;
    let done = false;
    let reading = false;
    const finish = (error: unknown, decision?: ApprovalDecisionEvent) => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(timer);
      if (error) reject(error);
      else resolve(decision);
    };
    const check = () => {
      if (done || reading) return;
      reading = true;
      readJournalStrict(journal, runId).then(
        ({ events }) => {
          reading = false;
          const found = lastRequest(events);
          if (found?.phase === phase && found.decision) return finish(undefined, found.decision);
          // Gone without taking it: handed back (the claimed answer is kept for the resume).
          if (!processAlive(owner.pid)) finish(undefined, undefined);
        },
        (error: unknown) => {
          reading = false;
          finish(error);
        },
      );
    };
    const timer = setInterval(check, POLL_MS);
    try {
      watcher = watch(journal, { persistent: false }, check);
      watcher.on('error', () => watcher?.close());
    } catch {
      // No watch here: the poll alone finds the decision.
    }
    check();
  });
}
