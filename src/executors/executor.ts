import type { ExecutorEvent, TaskResult, TaskSpec } from '../schema/task-spec.js';

export type { ExecutorEvent, TaskResult, TaskSpec } from '../schema/task-spec.js';

/** What an executor gets besides the task: a signal to stop, and where to report progress. */
export interface ExecutorContext {
  /** Aborted when the attempt must stop: cancelled, timed out, a budget crossed, its phase stopped. */
  signal: AbortSignal;
  /** Progress, in order: who took the task, each model call's usage, each tool call. */
  onEvent: (event: ExecutorEvent) => void;
}

/**
 * Runs agent tasks. It takes a plain-JSON {@link TaskSpec} and returns a plain-JSON
 * {@link TaskResult}, reporting progress only as events; it shares no memory with the run, so
 * it may run the task in this process (`inProcessExecutor`) or on a worker elsewhere
 * (`queueExecutor`). An attempt that fails is a result with `outcome: 'failed'`; a rejection
 * means the executor itself could not run it (the run fails the attempt with that error).
 *
 * @example
 * const result = await executor.run(spec, { signal, onEvent: (event) => console.log(event.type) });
 */
export interface Executor {
  /** A short name for logs: `in-process`, `queue`. */
  readonly name: string;
  run(spec: TaskSpec, context: ExecutorContext): Promise<TaskResult>;
  /** Releases what the executor holds (connections); the run calls it at its end when it made the executor. */
  close?(): Promise<void>;
}
