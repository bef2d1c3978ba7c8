import type { ErrorInfo, RunEventOf, TaskStatus } from '../schema/events.js';
import type { Usage } from '../schema/usage.js';
import type { TaskOutcome } from './execution.js';
import type { PlannedTask } from './plan.js';

/*
 * The three records the scheduler keeps for every task until the run ends: its start and end
 * events and its outcome. They are classes rather than object literals on purpose. V8 tracks
 * survival per literal site and, once most objects from a site outlive a young-generation
 * collection (as these do: the journal holds them for the whole run), allocates every later one
 * straight into the old generation, which only a full collection frees. At a fan-out of 10,000
 * that grew the old generation by about 3 MB per run and pushed peak RSS past 150 MB; objects
 * made by `new` are not pretenured that way. Fields are assigned in the order the journal
 * serialises them, the same order the literals had.
 */

export class TaskStartEvent implements RunEventOf<'task-start'> {
  readonly type = 'task-start';
  declare readonly runId: string;
  declare readonly at: string;
  declare readonly phase: string;
  declare readonly task: string;
  declare readonly agent: string;
  declare readonly attempt: number;

  constructor(runId: string, at: string, task: PlannedTask, attempt: number) {
    this.runId = runId;
    this.at = at;
    this.phase = task.phase;
    this.task = task.id;
    this.agent = task.agent;
    this.attempt = attempt;
  }
}

export class TaskEndEvent implements RunEventOf<'task-end'> {
  readonly type = 'task-end';
  // `declare`: no class-field definitions, so nothing is set before the constructor sets it
  // and the optional fields exist only when they have a value.
  declare readonly runId: string;
  declare readonly at: string;
  declare readonly phase: string;
  declare readonly task: string;
  declare readonly agent: string;
  declare readonly status: TaskStatus;
  declare readonly durationMs: number;
  declare readonly usage: Usage;
  declare readonly model: string;
  declare readonly attempts: number;
  declare result?: unknown;
  declare error?: ErrorInfo;
  declare reused?: boolean;

  constructor(runId: string, at: string, outcome: TaskOutcome, reused: boolean) {
    const { task } = outcome;
    this.runId = runId;
    this.at = at;
    this.phase = task.phase;
    this.task = task.id;
    this.agent = task.agent;
    this.status = outcome.status;
    this.durationMs = outcome.durationMs;
    this.usage = outcome.usage;
    this.model = outcome.model;
    this.attempts = outcome.attempts;
    if (outcome.status === 'done') this.result = outcome.result;
    if (outcome.error) this.error = outcome.error;
    if (reused) this.reused = true;
  }
}

export class TaskOutcomeRecord implements TaskOutcome {
  declare result?: unknown;
  declare error?: ErrorInfo;

  constructor(
    readonly task: PlannedTask,
    readonly status: TaskStatus,
    readonly usage: Usage,
    readonly model: string,
    readonly durationMs: number,
    readonly attempts: number,
    result: unknown,
    error: ErrorInfo | undefined,
  ) {
    if (status === 'done') this.result = result;
    if (error) this.error = error;
  }
}
