import type { PlannedPhase, PlannedTask, RunPlan } from '../../src/engine/plan.js';
import { resolveRetryPolicy } from '../../src/engine/retry-policy.js';
import type { RetryPolicy } from '../../src/schema/workflow.js';

export interface TaskSpec {
  id: string;
  needs?: string[];
  timeoutMs?: number;
  retry?: RetryPolicy;
  budget?: PlannedTask['budget'];
}

/** A run plan from phases of task specs (function tasks), for driving the scheduler directly. */
export function planOf(phases: Record<string, TaskSpec[]>, extra: Partial<RunPlan> & { phaseExtra?: Record<string, Partial<PlannedPhase>> } = {}): RunPlan {
  const tasks: PlannedTask[] = [];
  const planned: PlannedPhase[] = [];
  for (const [phase, specs] of Object.entries(phases)) {
    planned.push({ id: phase, name: phase, taskIds: specs.map((s) => s.id), ...(extra.phaseExtra?.[phase] ?? {}) });
    for (const spec of specs) {
      tasks.push({
        id: spec.id,
        index: tasks.length,
        phase,
        kind: 'function',
        agent: `function:${spec.id}`,
        function: spec.id,
        needs: spec.needs ?? [],
        promptTemplate: '',
        retry: resolveRetryPolicy(spec.retry),
        ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
        ...(spec.budget ? { budget: spec.budget } : {}),
      });
    }
  }
  const { phaseExtra: _ignored, ...rest } = extra;
  return { workflow: 'test', inputs: {}, phases: planned, tasks, domains: [], ...rest };
}
