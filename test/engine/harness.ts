import { executePlan, type ExecutionResult, type TaskExecution, type TaskSuccess } from '../../src/engine/scheduler.js';
import type { PlannedTask, RunPlan } from '../../src/engine/plan.js';
import { RunEvent } from '../../src/schema/events.js';
import { FakeClock } from './fake-clock.js';

export type Behaviour = (task: PlannedTask, execution: TaskExecution, clock: FakeClock) => Promise<TaskSuccess> | TaskSuccess;

/** Runs a plan on a fake clock; every emitted event is checked against the event schema. */
export function start(plan: RunPlan, behaviour: Behaviour, options: { concurrency?: number; signal?: AbortSignal; random?: () => number } = {}) {
  const clock = new FakeClock();
  const events: RunEvent[] = [];
  const result: Promise<ExecutionResult> = executePlan({
    plan,
    runId: 'run-1',
    clock,
    executor: async (task, execution) => behaviour(task, execution, clock),
    emit: (event) => events.push(RunEvent.parse(event)),
    random: options.random ?? (() => 0),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { clock, events, result };
}

/** A task that takes `ms` of fake time, honouring its signal. */
export const takes = (ms: number, result: unknown = { ok: true }): Behaviour => async (_task, execution, clock) => {
  await clock.sleep(ms, execution.signal);
  return { result };
};

export const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
