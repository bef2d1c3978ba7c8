import type { CompletedTask } from '../engine/execution.js';
import type { LearningUpdate } from '../expertise/merge.js';
import type { ApprovalDecisionEvent, RunEvent, RunEventOf } from '../schema/events.js';
import type { StagedDeletion, StagedFile } from '../schema/manifest.js';
import { isNotePath } from '../tools/paths.js';

/** What a run's journal says has been done: what a resume keeps, and the live state of a running run. */
export interface ResumeFold {
  /** The first `run-start`: the workflow, its inputs and the provider the run began with. */
  readonly runStart: RunEventOf<'run-start'> | undefined;
  /** Tasks that ended `done`, by id: they are not run again. */
  readonly completed: Map<string, CompletedTask>;
  /** The learnings of the done tasks, in journal order. */
  readonly learnings: LearningUpdate[];
  /** The staged files and deletions of the done tasks, replayed in journal order. */
  readonly files: StagedFile[];
  readonly deletions: StagedDeletion[];
  /** Each domain's expertise merge as far as it got: `intent` made durable, or `done`. */
  readonly merges: Map<string, { intent?: RunEventOf<'expertise-merge'>; done?: RunEventOf<'expertise-merge'> }>;
  /** Who ran each task's last attempt (`in-process`, or a queue worker's name), by task id. */
  readonly workers: Map<string, string>;
  /** How many sessions (the first run and each resume) the journal holds. */
  readonly sessions: number;
  /** The approvals answered, by phase: a resumed run does not ask them again. */
  readonly approvals: Map<string, ApprovalDecisionEvent>;
}

type Change = { index: number; write: StagedFile } | { index: number; remove: StagedDeletion };

/** A task's attempt in progress in the journal: what it staged and learned so far. */
interface OpenAttempt {
  phase: string;
  changes: Change[];
  learnings: LearningUpdate[];
}

/**
 * Folds a run's journal, event by event. The same fold serves `orchestrate resume` (over the
 * journal read back) and the run while it is alive (over each event as it is appended), so the
 * live state of a run is what its journal says, never a second copy kept beside it.
 *
 * A task's work counts once its `done` task-end is in the journal; the files, removals and
 * learnings of an attempt that was in flight when the process died (or was cancelled, or
 * failed) are dropped, because that task runs again from its start. A new `run-start` begins a
 * new session: nothing is in flight across it. The `task-end` a resume replays for a reused task
 * (`reused: true`) changes nothing. Pure: events in, state out.
 */
export class RunFold implements ResumeFold {
  runStart: RunEventOf<'run-start'> | undefined = undefined;
  readonly completed = new Map<string, CompletedTask>();
  readonly merges = new Map<string, { intent?: RunEventOf<'expertise-merge'>; done?: RunEventOf<'expertise-merge'> }>();
  readonly workers = new Map<string, string>();
  readonly approvals = new Map<string, ApprovalDecisionEvent>();
  sessions = 0;
  private readonly open = new Map<string, OpenAttempt>();
  private readonly kept: Change[] = [];
  private readonly learned = new Map<string, LearningUpdate[]>();
  private index = 0;
  private replayed: { files: StagedFile[]; deletions: StagedDeletion[] } | undefined;

  /**
   * `live`: the fold of a run while it runs, which nothing resumes from: it keeps no `completed`
   * record per task (the scheduler has the outcomes) and follows no function task's attempt (a
   * function stages nothing and records no learning), so a task costs it nothing.
   */
  constructor(private readonly live = false) {}

  /** Folds one event in. */
  apply(event: RunEvent): void {
    const index = this.index++;
    switch (event.type) {
      case 'run-start':
        this.runStart ??= event;
        this.sessions++;
        this.open.clear();
        break;
      case 'task-start': {
        if (this.live && event.agent.startsWith('function:')) break;
        const current = this.open.get(event.task);
        // A retry keeps what earlier attempts staged (the staging area does too), not their learnings.
        if (current && event.attempt > 1) current.learnings = [];
        else this.open.set(event.task, { phase: event.phase, changes: [], learnings: [] });
        break;
      }
      case 'task-assign':
        this.workers.set(event.task, event.worker);
        break;
      case 'artifact-write': {
        const attempt = this.open.get(event.task);
        attempt?.changes.push({ index, write: { path: event.path, sha256: event.sha256, size: event.size, phase: attempt.phase, task: event.task, agent: event.agent } });
        break;
      }
      case 'artifact-remove': {
        const attempt = this.open.get(event.task);
        attempt?.changes.push({ index, remove: { path: event.path, phase: attempt.phase, task: event.task, agent: event.agent } });
        break;
      }
      case 'learning-record':
        this.open.get(event.task)?.learnings.push({
          insight: event.insight,
          ...(event.context !== undefined ? { context: event.context } : {}),
          files_affected: event.filesAffected,
          agent: event.agent,
          task: event.task,
        });
        break;
      case 'task-end': {
        if (event.reused) break;
        const attempt = this.open.get(event.task);
        if (this.live && !attempt) break;
        this.open.delete(event.task);
        if (event.status !== 'done') break;
        if (!this.live) this.completed.set(event.task, { result: event.result, usage: event.usage, model: event.model, durationMs: event.durationMs, attempts: event.attempts ?? 1 });
        if (attempt?.changes.length) {
          this.kept.push(...attempt.changes);
          this.replayed = undefined;
        }
        if (attempt?.learnings.length) this.learned.set(event.task, attempt.learnings);
        break;
      }
      case 'approval-decision':
        this.approvals.set(event.phase, event);
        break;
      case 'expertise-merge': {
        const merge = this.merges.get(event.domain) ?? {};
        merge[event.stage] = event;
        this.merges.set(event.domain, merge);
        break;
      }
      default:
        break;
    }
  }

  /** The learnings of the done tasks, in the order their tasks ended. */
  get learnings(): LearningUpdate[] {
    const all: LearningUpdate[] = [];
    for (const list of this.learned.values()) all.push(...list);
    return all;
  }

  get files(): StagedFile[] {
    return this.replay().files;
  }

  get deletions(): StagedDeletion[] {
    return this.replay().deletions;
  }

  /** Applies the kept writes and removals in journal order, as the staging area did live. */
  private replay(): { files: StagedFile[]; deletions: StagedDeletion[] } {
    if (this.replayed) return this.replayed;
    const files = new Map<string, StagedFile>();
    const deletions = new Map<string, StagedDeletion>();
    for (const change of [...this.kept].sort((a, b) => a.index - b.index)) {
      if ('write' in change) {
        files.set(change.write.path, change.write);
        deletions.delete(change.write.path);
      } else {
        files.delete(change.remove.path);
        if (!isNotePath(change.remove.path)) deletions.set(change.remove.path, change.remove);
      }
    }
    return (this.replayed = { files: [...files.values()], deletions: [...deletions.values()] });
  }
}

/** Folds a whole journal (see {@link RunFold}). */
export function foldJournal(events: readonly RunEvent[]): RunFold {
  const fold = new RunFold();
  for (const event of events) fold.apply(event);
  return fold;
}
