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

/*
 * Their journal lines. A run writes two per task, and JSON.stringify walked each event whole;
 * these put together the same bytes from fragments made once: each task's `"phase","task",
 * "agent"` (a plan is often reused across runs), the run's id, and the usage of a task that
 * used nothing. test/engine/journal-lines.test.ts checks them against JSON.stringify.
 */
const FRAGMENTS = new WeakMap<PlannedTask, string>();

/** `"phase":…,"task":…,"agent":…` of a task, as JSON.stringify writes them. */
function taskFragment(task: PlannedTask): string {
  let fragment = FRAGMENTS.get(task);
  if (fragment === undefined) {
    fragment = `"phase":${JSON.stringify(task.phase)},"task":${JSON.stringify(task.id)},"agent":${JSON.stringify(task.agent)}`;
    FRAGMENTS.set(task, fragment);
  }
  return fragment;
}

let lastRunId = '';
let lastRunIdJson = '""';
function runIdJson(runId: string): string {
  if (runId !== lastRunId) {
    lastRunId = runId;
    lastRunIdJson = JSON.stringify(runId);
  }
  return lastRunIdJson;
}

let lastUsage: Usage | undefined;
let lastUsageJson = '';
/** The shared frozen usage of a task that used nothing is written once and reused. */
function usageJson(usage: Usage): string {
  if (usage === lastUsage) return lastUsageJson;
  const json = JSON.stringify(usage);
  if (Object.isFrozen(usage)) {
    lastUsage = usage;
    lastUsageJson = json;
  }
  return json;
}

/** A timestamp from src/engine/timestamps.ts is plain ASCII; anything else is quoted in full. */
function atJson(at: string): string {
  return /^[0-9T:.Z+-]*$/.test(at) ? `"${at}"` : JSON.stringify(at);
}

/** A finite number as JSON writes it (and `null` for the others, as JSON does). */
function numberJson(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

export class TaskStartEvent implements RunEventOf<'task-start'> {
  readonly type = 'task-start';
  /** Not an own enumerable field: JSON.stringify and `{ ...event }` never see it. */
  readonly #task: PlannedTask;
  declare readonly runId: string;
  declare readonly at: string;
  declare readonly phase: string;
  declare readonly task: string;
  declare readonly agent: string;
  declare readonly attempt: number;

  constructor(runId: string, at: string, task: PlannedTask, attempt: number) {
    this.#task = task;
    this.runId = runId;
    this.at = at;
    this.phase = task.phase;
    this.task = task.id;
    this.agent = task.agent;
    this.attempt = attempt;
  }

  /** The event's journal line: exactly `JSON.stringify(this)` and a newline. */
  toJournalLine(): string {
    return `{"type":"task-start","runId":${runIdJson(this.runId)},"at":${atJson(this.at)},${taskFragment(this.#task)},"attempt":${numberJson(this.attempt)}}\n`;
  }
}

export class TaskEndEvent implements RunEventOf<'task-end'> {
  readonly type = 'task-end';
  readonly #task: PlannedTask;
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
    this.#task = task;
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

  /** The event's journal line: exactly `JSON.stringify(this)` and a newline. */
  toJournalLine(): string {
    let line = `{"type":"task-end","runId":${runIdJson(this.runId)},"at":${atJson(this.at)},${taskFragment(this.#task)},"status":${JSON.stringify(this.status)},"durationMs":${numberJson(this.durationMs)},"usage":${usageJson(this.usage)},"model":${JSON.stringify(this.model)},"attempts":${numberJson(this.attempts)}`;
    if (this.result !== undefined) {
      const result = this.result === null ? 'null' : JSON.stringify(this.result);
      if (result !== undefined) line += `,"result":${result}`;
    }
    if (this.error !== undefined) line += `,"error":${JSON.stringify(this.error)}`;
    if (this.reused !== undefined) line += `,"reused":${this.reused}`;
    return `${line}}\n`;
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
