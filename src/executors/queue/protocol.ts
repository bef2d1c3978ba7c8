import type { ExecutorEvent, TaskSpec } from '../../schema/task-spec.js';

/** A job's id: run id, task id and attempt. A repeat of the same attempt is the same job. */
export function jobIdOf(spec: Pick<TaskSpec, 'runId' | 'task' | 'attempt'>): string {
  return `${spec.runId}.${spec.task.id}.${spec.attempt}`.replace(/:/g, '_');
}

/** The queue event by which a coordinator asks the workers to stop a job (cancelled, timed out, budget crossed). */
export const CANCEL_EVENT = 'orchestrate-cancel';

/** Job progress as the worker reports it: every event numbered, so a repeat or a late one is dropped. */
export interface ProgressMessage {
  /** Which execution of the job sent it (a stalled job runs again elsewhere and numbers from 0). */
  from: string;
  seq: number;
  event: ExecutorEvent;
}
