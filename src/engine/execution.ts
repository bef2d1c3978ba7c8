import type { Clock } from '../runtime/clock.js';
import type { ErrorInfo, RunEvent, RunStatus, TaskStatus } from '../schema/events.js';
import type { Usage } from '../schema/usage.js';
import type { PlannedTask, RunPlan } from './plan.js';

/** What an executor returns for a task that succeeded. Plain JSON, so a worker could run it. */
export interface TaskSuccess {
  result: unknown;
  /** This attempt's usage; ignored when the attempt reported it live through `onUsage`. */
  usage?: Usage;
  model?: string;
}

/** What the scheduler hands an executor for one attempt of a task. */
export interface TaskExecution {
  runId: string;
  /** Aborted when the run is cancelled or stopped, the task's phase is stopped, or the attempt times out. */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
  /** The results of the tasks this one needs, by task id. */
  needs: Record<string, unknown>;
  /**
   * Report usage as it happens (once per model call). Throws a `BudgetExceededError` when a
   * task, phase or run budget is crossed; the attempt should let it propagate.
   */
  onUsage: (usage: Usage) => void;
}

/** Runs one task. The scheduler does not care whether it is an agent loop or a function. */
/**
 * Runs one attempt of a task. It may return its success directly when it has it at once (a
 * function task that is not async): the scheduler adopts either, and a task that needs no
 * promise of its own costs none.
 */
export type TaskExecutor = (task: PlannedTask, execution: TaskExecution) => Promise<TaskSuccess> | TaskSuccess;

export interface TaskOutcome {
  task: PlannedTask;
  status: TaskStatus;
  result?: unknown;
  /** Every attempt's usage together. */
  usage: Usage;
  model: string;
  /** From the first attempt's start to the end; 0 when it never started. */
  durationMs: number;
  /** Attempts made; 0 when it never started. */
  attempts: number;
  error?: ErrorInfo;
}

/** A task a resumed run already finished: its outcome comes from the journal, not a new attempt. */
export interface CompletedTask {
  result: unknown;
  usage: Usage;
  model: string;
  durationMs: number;
  attempts: number;
}

/** What the scheduler asks when a phase with an approval has ended with every task done. */
export interface ApprovalRequest {
  phase: string;
  /** The phase's name, such as `Research & Planning`. */
  name: string;
  message: string;
  /** The note or staged file to show with the question. */
  show?: string;
  /** Aborted when the run ends before an answer (cancelled, timed out): stop asking. */
  signal: AbortSignal;
}

/**
 * The answer: go on, stop the run as `rejected`, or `wait`: nobody can answer now, so the run
 * stops as `awaiting-approval` and is resumed with the answer later.
 */
export type ApprovalAnswer = { decision: 'approved' } | { decision: 'rejected'; reason: string } | { decision: 'wait' };

export interface ExecutePlanOptions {
  plan: RunPlan;
  runId: string;
  executor: TaskExecutor;
  /** Every event, in order, stamped with the injected clock. */
  emit: (event: RunEvent) => void;
  clock: Clock;
  /** Most tasks running at once. @default 4 */
  concurrency?: number;
  /** Aborting it cancels the run: running tasks see it, nothing new starts, status `cancelled`. */
  signal?: AbortSignal;
  /** Source of retry jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Tasks already done, by id (a resumed run, from its journal). They are not run again: each
   * ends `done` at once with its recorded outcome (a `task-end` with `reused: true`), and its
   * usage counts toward the budgets.
   */
  completed?: ReadonlyMap<string, CompletedTask>;
  /**
   * Asked when a phase with an approval has ended with every task done; no task of a later
   * phase starts until it answers. @default every approval waits (the run stops `awaiting-approval`)
   */
  approve?: (request: ApprovalRequest) => ApprovalAnswer | Promise<ApprovalAnswer>;
}

export interface ExecutionResult {
  status: RunStatus;
  /** One outcome per task, in declaration order. */
  outcomes: TaskOutcome[];
  /** Why the run stopped or failed as a whole (cancelled, fail-fast, gate, budget, timeout). */
  error?: ErrorInfo;
  /** Usage of the whole run. */
  usage: Usage;
}
