import PQueue from 'p-queue';
import { errorInfo, TaskError } from '../errors.js';
import type { ErrorInfo, RunEvent, RunStatus, TaskStatus } from '../schema/events.js';
import { emptyUsage, type Usage } from '../schema/usage.js';
import type { Clock } from '../runtime/clock.js';
import type { PlannedTask, RunPlan } from './plan.js';

/** What an executor returns for a task that succeeded. Plain JSON, so a worker could run it. */
export interface TaskSuccess {
  result: unknown;
  usage: Usage;
  model: string;
}

export interface TaskExecution {
  runId: string;
  signal: AbortSignal;
  attempt: number;
  /** The results of the tasks this one needs, by task id. */
  needs: Record<string, unknown>;
}

/** Runs one task. The scheduler does not care whether it is an agent loop or a function. */
export type TaskExecutor = (task: PlannedTask, execution: TaskExecution) => Promise<TaskSuccess>;

export interface TaskOutcome {
  task: PlannedTask;
  status: TaskStatus;
  result?: unknown;
  usage: Usage;
  model: string;
  durationMs: number;
  error?: ErrorInfo;
}

export interface ExecutePlanOptions {
  plan: RunPlan;
  runId: string;
  executor: TaskExecutor;
  emit: (event: RunEvent) => void;
  clock: Clock;
  /** Most tasks running at once. @default 4 */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface ExecutionResult {
  status: RunStatus;
  /** One outcome per task, in declaration order. */
  outcomes: TaskOutcome[];
}

/**
 * Starts each task the moment its needs are done (no whole-phase barrier), bounded by p-queue.
 * A failed task's dependents are skipped; independent branches go on.
 */
export function executePlan(options: ExecutePlanOptions): Promise<ExecutionResult> {
  const { plan, runId, executor, emit, clock, signal } = options;
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  const at = () => new Date(clock.now()).toISOString();
  const byId = new Map(plan.tasks.map((task) => [task.id, task]));
  const waiting = new Map(plan.tasks.map((task) => [task.id, task.needs.length]));
  const dependents = new Map<string, string[]>(plan.tasks.map((task) => [task.id, []]));
  for (const task of plan.tasks) for (const need of task.needs) dependents.get(need)!.push(task.id);
  const phaseLeft = new Map(plan.phases.map((phase) => [phase.id, phase.taskIds.length]));
  const phaseStatus = new Map<string, TaskStatus>();
  const phaseName = new Map(plan.phases.map((phase) => [phase.id, phase.name]));
  const outcomes = new Map<string, TaskOutcome>();

  return new Promise((resolve) => {
    const startPhase = (phase: string) => {
      if (phaseStatus.has(phase)) return;
      phaseStatus.set(phase, 'done');
      emit({ type: 'phase-start', runId, at: at(), phase, name: phaseName.get(phase) ?? phase });
    };

    const finish = (outcome: TaskOutcome) => {
      const { task } = outcome;
      outcomes.set(task.id, outcome);
      startPhase(task.phase);
      emit({
        type: 'task-end',
        runId,
        at: at(),
        phase: task.phase,
        task: task.id,
        agent: task.agent,
        status: outcome.status,
        durationMs: outcome.durationMs,
        usage: outcome.usage,
        model: outcome.model,
        ...(outcome.status === 'done' ? { result: outcome.result } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
      if (outcome.status !== 'done' && phaseStatus.get(task.phase) === 'done') phaseStatus.set(task.phase, outcome.status);
      const left = phaseLeft.get(task.phase)! - 1;
      phaseLeft.set(task.phase, left);
      if (left === 0) emit({ type: 'phase-end', runId, at: at(), phase: task.phase, status: phaseStatus.get(task.phase)! });

      for (const id of dependents.get(task.id)!) {
        const dependent = byId.get(id)!;
        if (outcomes.has(id)) continue;
        if (outcome.status !== 'done') {
          const why = outcome.status === 'cancelled' ? 'cancelled' : `skipped because "${task.id}" ${outcome.status}`;
          finish(notRun(dependent, outcome.status === 'cancelled' ? 'cancelled' : 'skipped', why));
          continue;
        }
        const count = waiting.get(id)! - 1;
        waiting.set(id, count);
        if (count === 0) schedule(dependent);
      }
      if (outcomes.size === plan.tasks.length) {
        const list = plan.tasks.map((t) => outcomes.get(t.id)!);
        const status: RunStatus = list.some((o) => o.status === 'cancelled')
          ? 'cancelled'
          : list.every((o) => o.status === 'done')
            ? 'complete'
            : 'failed';
        resolve({ status, outcomes: list });
      }
    };

    const notRun = (task: PlannedTask, status: TaskStatus, message: string): TaskOutcome => ({
      task,
      status,
      usage: emptyUsage(),
      model: 'none',
      durationMs: 0,
      error: { code: status === 'cancelled' ? 'CANCELLED' : 'SKIPPED', message },
    });

    const schedule = (task: PlannedTask) => {
      void queue.add(async () => {
        if (signal?.aborted) return finish(notRun(task, 'cancelled', 'cancelled before it started'));
        startPhase(task.phase);
        const started = clock.now();
        emit({ type: 'task-start', runId, at: at(), phase: task.phase, task: task.id, agent: task.agent, attempt: 1 });
        const needs: Record<string, unknown> = {};
        for (const need of task.needs) needs[need] = outcomes.get(need)?.result;
        const { signal: taskSignal, dispose } = taskSignalFor(task, clock, signal);
        try {
          const success = await executor(task, { runId, signal: taskSignal, attempt: 1, needs });
          finish({ task, status: 'done', result: success.result, usage: success.usage, model: success.model, durationMs: clock.now() - started });
        } catch (error) {
          const cancelled = signal?.aborted === true;
          const info = taskSignal.aborted && !cancelled ? errorInfo(taskSignal.reason) : errorInfo(error);
          finish({
            task,
            status: cancelled ? 'cancelled' : 'failed',
            usage: (error as { usage?: Usage }).usage ?? emptyUsage(),
            model: (error as { model?: string }).model ?? 'unknown',
            durationMs: clock.now() - started,
            error: info,
          });
        } finally {
          dispose();
        }
      });
    };

    if (plan.tasks.length === 0) return resolve({ status: 'complete', outcomes: [] });
    for (const task of plan.tasks) if (task.needs.length === 0) schedule(task);
  });
}

/** The task's own signal: aborted by the run's signal or by the task's timeout. */
function taskSignalFor(task: PlannedTask, clock: Clock, runSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(runSignal?.reason);
  runSignal?.addEventListener('abort', onRunAbort, { once: true });
  if (task.timeoutMs !== undefined) {
    const ms = task.timeoutMs;
    clock.sleep(ms, controller.signal).then(
      () => controller.abort(new TaskError('TASK_TIMEOUT', `task "${task.id}" timed out after ${ms} ms`)),
      () => undefined,
    );
  }
  return {
    signal: controller.signal,
    dispose: () => {
      runSignal?.removeEventListener('abort', onRunAbort);
      if (!controller.signal.aborted) controller.abort(new Error('task finished'));
    },
  };
}
