import type { CompletedTask } from '../engine/execution.js';
import type { LearningUpdate } from '../expertise/merge.js';
import type { ApprovalDecisionEvent, RunEvent, RunEventOf } from '../schema/events.js';
import type { StagedDeletion, StagedFile } from '../schema/manifest.js';
import { isNotePath } from '../tools/paths.js';

/** What a run's journal says has been done and is kept when the run is resumed. */
export interface ResumeFold {
  /** The first `run-start`: the workflow, its inputs and the provider the run began with. */
  runStart: RunEventOf<'run-start'> | undefined;
  /** Tasks that ended `done`, by id: they are not run again. */
  completed: Map<string, CompletedTask>;
  /** The learnings of the done tasks, in journal order. */
  learnings: LearningUpdate[];
  /** The staged files and deletions of the done tasks, replayed in journal order. */
  files: StagedFile[];
  deletions: StagedDeletion[];
  /** Each domain's expertise merge as far as it got: `intent` made durable, or `done`. */
  merges: Map<string, { intent?: RunEventOf<'expertise-merge'>; done?: RunEventOf<'expertise-merge'> }>;
  /** How many sessions (the first run and each resume) the journal holds. */
  sessions: number;
  /** The approvals answered, by phase: a resumed run does not ask them again. */
  approvals: Map<string, ApprovalDecisionEvent>;
}

type Change = { index: number; write: StagedFile } | { index: number; remove: StagedDeletion };

/** A task's attempt in progress in the journal: what it staged and learned so far. */
interface OpenAttempt {
  phase: string;
  changes: Change[];
  learnings: LearningUpdate[];
}

/**
 * Folds a run's journal into what a resume keeps. A task's work counts once its `done` task-end
 * is in the journal; the files, removals and learnings of an attempt that was in flight when the
 * process died (or was cancelled, or failed) are dropped, because that task runs again from its
 * start. A new `run-start` begins a new session: nothing is in flight across it. The `task-end`
 * a resume replays for a reused task (`reused: true`) changes nothing.
 *
 * Pure: events in, state out.
 */
export function foldJournal(events: readonly RunEvent[]): ResumeFold {
  const fold: ResumeFold = { runStart: undefined, completed: new Map(), learnings: [], files: [], deletions: [], merges: new Map(), sessions: 0, approvals: new Map() };
  const open = new Map<string, OpenAttempt>();
  const kept: Change[] = [];
  const learned = new Map<string, LearningUpdate[]>();
  events.forEach((event, index) => {
    switch (event.type) {
      case 'run-start':
        fold.runStart ??= event;
        fold.sessions++;
        open.clear();
        break;
      case 'task-start': {
        const current = open.get(event.task);
        // A retry keeps what earlier attempts staged (the staging area does too), not their learnings.
        if (current && event.attempt > 1) current.learnings = [];
        else open.set(event.task, { phase: event.phase, changes: [], learnings: [] });
        break;
      }
      case 'artifact-write': {
        const attempt = open.get(event.task);
        attempt?.changes.push({ index, write: { path: event.path, sha256: event.sha256, size: event.size, phase: attempt.phase, task: event.task, agent: event.agent } });
        break;
      }
      case 'artifact-remove': {
        const attempt = open.get(event.task);
        attempt?.changes.push({ index, remove: { path: event.path, phase: attempt.phase, task: event.task, agent: event.agent } });
        break;
      }
      case 'learning-record':
        open.get(event.task)?.learnings.push({
          insight: event.insight,
          ...(event.context !== undefined ? { context: event.context } : {}),
          files_affected: event.filesAffected,
          agent: event.agent,
          task: event.task,
        });
        break;
      case 'task-end': {
        if (event.reused) break;
        const attempt = open.get(event.task);
        open.delete(event.task);
        if (event.status !== 'done') break;
        fold.completed.set(event.task, { result: event.result, usage: event.usage, model: event.model, durationMs: event.durationMs, attempts: event.attempts ?? 1 });
        kept.push(...(attempt?.changes ?? []));
        learned.set(event.task, attempt?.learnings ?? []);
        break;
      }
      case 'approval-decision':
        fold.approvals.set(event.phase, event);
        break;
      case 'expertise-merge': {
        const merge = fold.merges.get(event.domain) ?? {};
        merge[event.stage] = event;
        fold.merges.set(event.domain, merge);
        break;
      }
      default:
        break;
    }
  });
  for (const list of learned.values()) fold.learnings.push(...list);
  replayStaging(kept, fold);
  return fold;
}

/** Applies the kept writes and removals in journal order, as the staging area did live. */
function replayStaging(kept: Change[], fold: ResumeFold): void {
  const files = new Map<string, StagedFile>();
  const deletions = new Map<string, StagedDeletion>();
  for (const change of kept.sort((a, b) => a.index - b.index)) {
    if ('write' in change) {
      files.set(change.write.path, change.write);
      deletions.delete(change.write.path);
    } else {
      files.delete(change.remove.path);
      if (!isNotePath(change.remove.path)) deletions.set(change.remove.path, change.remove);
    }
  }
  fold.files = [...files.values()];
  fold.deletions = [...deletions.values()];
}
