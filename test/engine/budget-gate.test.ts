import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../../src/schema/usage.js';
import { planOf } from './plans.js';
import { ofType, start, type Behaviour } from './harness.js';

/** A task that makes `calls` model calls of 100 input / 10 output tokens each, 1 ms apart. */
const callsModel = (calls: number): Behaviour => async (_task, execution, clock) => {
  for (let i = 0; i < calls; i++) {
    await clock.sleep(1, execution.signal);
    execution.onUsage({ ...emptyUsage(), inputTokens: 100, outputTokens: 10, costUsd: 0.01, turns: 1 });
  }
  return { result: { summary: 'ok' } };
};

describe('budgets', () => {
  it('a task budget stops that task with BUDGET_EXCEEDED, naming the budget, the use and the limit', async () => {
    const plan = planOf({ one: [{ id: 'greedy', budget: { inputTokens: 250 } }, { id: 'modest' }] });
    const { clock, events, result } = start(plan, callsModel(5));
    await clock.advance(10);
    const run = await result;
    expect(run.outcomes.map((o) => [o.task.id, o.status])).toEqual([['greedy', 'failed'], ['modest', 'done']]);
    expect(run.outcomes[0]!.error).toEqual({
      code: 'BUDGET_EXCEEDED',
      message: 'task budget of "greedy" exceeded: inputTokens used 300, allowed 250',
      budget: { scope: 'task', id: 'greedy', measure: 'inputTokens', used: 300, allowed: 250 },
    });
    expect(run.outcomes[0]!.usage).toMatchObject({ inputTokens: 300, turns: 3 });
    expect(ofType(events, 'task-end')[0]!.usage.inputTokens).toBe(300);
    expect(run.usage).toMatchObject({ inputTokens: 800, outputTokens: 80, turns: 8 });
  });

  it('is never retried', async () => {
    const plan = planOf({ one: [{ id: 'greedy', budget: { turns: 1 }, retry: { maximumAttempts: 3 } }] });
    const { clock, result } = start(plan, callsModel(3));
    await clock.advance(10);
    expect((await result).outcomes[0]).toMatchObject({ attempts: 1, error: { code: 'BUDGET_EXCEEDED' } });
  });

  it('a phase budget stops every task of the phase; dependents are skipped, other phases go on', async () => {
    const plan = planOf(
      { spend: [{ id: 'x' }, { id: 'y' }], after: [{ id: 'uses-x', needs: ['x'] }], free: [{ id: 'independent' }] },
      { phaseExtra: { spend: { budget: { costUsd: 0.05 } } } },
    );
    const { clock, events, result } = start(plan, callsModel(4), { concurrency: 4 });
    await clock.advance(10);
    const run = await result;
    expect(run.outcomes.map((o) => [o.task.id, o.status, o.error?.code])).toEqual([
      ['x', 'failed', 'BUDGET_EXCEEDED'], ['y', 'failed', 'BUDGET_EXCEEDED'], ['uses-x', 'skipped', 'SKIPPED'], ['independent', 'done', undefined],
    ]);
    expect(run.error!.budget).toMatchObject({ scope: 'phase', id: 'spend', measure: 'costUsd', allowed: 0.05 });
    expect(run.error!.message).toMatch(/^phase budget of "spend" exceeded: costUsd used \$0\.0600, allowed \$0\.0500$/);
    expect(ofType(events, 'phase-end').find((e) => e.phase === 'spend')).toMatchObject({ status: 'failed', error: { code: 'BUDGET_EXCEEDED' } });
  });

  it('a run budget stops the run: running tasks fail, nothing new starts', async () => {
    const plan = planOf({ one: [{ id: 'a' }, { id: 'b' }], two: [{ id: 'c', needs: ['a'] }] }, { budget: { outputTokens: 25 } });
    const { clock, events, result } = start(plan, callsModel(2), { concurrency: 2 });
    await clock.advance(10);
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: { scope: 'run', id: 'test', measure: 'outputTokens', used: 30, allowed: 25 } });
    expect(run.outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'skipped']);
    expect(ofType(events, 'task-start').map((e) => e.task)).toEqual(['a', 'b']);
  });

  it('usage an executor reports only at the end still counts against the budget', async () => {
    const plan = planOf({ one: [{ id: 'a' }], two: [{ id: 'b', needs: ['a'] }] }, { budget: { turns: 2 } });
    const { result } = start(plan, () => ({ result: {}, usage: { ...emptyUsage(), turns: 2 } }));
    const run = await result;
    expect(run.outcomes.map((o) => [o.status, o.error?.code])).toEqual([['done', undefined], ['skipped', 'BUDGET_EXCEEDED']]);
    expect(run.error!.message).toBe('run budget of "test" used up: turns used 2, allowed 2');
  });
});

describe('gates', () => {
  const gated = (condition: object) =>
    planOf(
      { test: [{ id: 'tests' }], docs: [{ id: 'docs', needs: [] }, { id: 'more-docs', needs: [] }] },
      { phaseExtra: { docs: { gate: { name: 'tests-pass', condition: condition as never, tasks: ['tests'] } } } },
    );
  const tests = (result: object): Behaviour => (task) => ({ result: task.id === 'tests' ? result : { summary: task.id } });

  it('waits for the tasks it reads, then lets the phase start when it holds', async () => {
    const plan = gated({ any: [{ field: 'tests.ran', equals: false }, { field: 'tests.failed', equals: 0 }] });
    const { events, result } = start(plan, tests({ ran: true, failed: 0 }));
    const run = await result;
    expect(run.status).toBe('complete');
    expect(ofType(events, 'phase-start').find((e) => e.phase === 'docs')!.gate).toEqual({
      name: 'tests-pass', phase: 'docs', holds: true, values: { 'tests.ran': true, 'tests.failed': 0 },
    });
    expect(events.findIndex((e) => e.type === 'task-end' && e.task === 'tests')).toBeLessThan(events.findIndex((e) => e.type === 'task-start' && e.task === 'docs'));
  });

  it('holds when the tests were not run (the offline case)', async () => {
    const plan = gated({ any: [{ field: 'tests.ran', equals: false }, { field: 'tests.failed', equals: 0 }] });
    expect((await start(plan, tests({ ran: false, failed: 0 })).result).status).toBe('complete');
  });

  it('fails the run with a message naming the gate and the values it saw; the phase never starts', async () => {
    const plan = gated({ all: [{ field: 'tests.failed', equals: 0 }, { not: { field: 'tests.passed', lessThan: 1 } }] });
    const { events, result } = start(plan, tests({ ran: true, failed: 2, passed: 5 }));
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.error!.message).toBe('gate "tests-pass" of phase "docs" does not hold; it saw tests.failed = 2, tests.passed = 5');
    expect(run.outcomes.map((o) => [o.task.id, o.status, o.error?.code])).toEqual([['tests', 'done', undefined], ['docs', 'skipped', 'GATE_FAILED'], ['more-docs', 'skipped', 'GATE_FAILED']]);
    expect(ofType(events, 'task-start').map((e) => e.task)).toEqual(['tests']);
    expect(ofType(events, 'phase-end').find((e) => e.phase === 'docs')).toMatchObject({ status: 'failed', error: { code: 'GATE_FAILED', gate: { holds: false } } });
  });

  it('a gate whose task failed skips the phase', async () => {
    const plan = gated({ field: 'tests.failed', equals: 0 });
    const { result } = start(plan, (task) => {
      if (task.id === 'tests') throw new Error('crashed');
      return { result: {} };
    });
    const run = await result;
    expect(run.outcomes.map((o) => o.status)).toEqual(['failed', 'skipped', 'skipped']);
  });
});
