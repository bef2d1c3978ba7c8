/**
 * This engine: the real scheduler (executePlan from dist/) with events on, every event kept
 * in an in-memory journal, on the real clock.
 */
import { executePlan } from '../../dist/engine/scheduler.js';
import { resolveRetryPolicy } from '../../dist/engine/retry-policy.js';
import { systemClock } from '../../dist/runtime/clock.js';
import { sleep } from './cases.mjs';

const DONE = { result: null, model: 'bench' };

export function prepare(tasks, concurrency) {
  const retry = resolveRetryPolicy();
  const planned = tasks.map((t, index) => ({
    id: t.id,
    index,
    phase: 'bench',
    kind: 'function',
    agent: 'function:bench',
    function: 'bench',
    needs: t.needs,
    promptTemplate: '',
    retry,
  }));
  const plan = { workflow: 'bench', inputs: {}, phases: [{ id: 'bench', name: 'bench', taskIds: tasks.map((t) => t.id) }], tasks: planned, domains: [], failurePolicy: 'continue' };
  const waits = tasks.map((t) => t.ms);
  const executor = (task) => {
    const wait = waits[task.index];
    return wait > 0 ? sleep(wait, DONE) : Promise.resolve(DONE);
  };
  return async () => {
    const journal = [];
    const result = await executePlan({ plan, runId: 'bench', executor, emit: (event) => journal.push(event), clock: systemClock, concurrency });
    if (result.status !== 'complete' || journal.length < tasks.length * 2) throw new Error(`bench run did not complete: ${result.status}`);
  };
}
