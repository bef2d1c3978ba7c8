import { describe, expect, it } from 'vitest';
import { executePlan, type TaskExecution, type TaskExecutor } from '../../src/engine/scheduler.js';
import { FakeClock } from './fake-clock.js';
import { planOf } from './plans.js';
import { ofType, start, takes } from './harness.js';

describe('scheduler: dependencies, concurrency, events', () => {
  it('starts each task the moment its own needs are done (no phase barrier), outcomes in declaration order', async () => {
    // uneven: one 60 ms branch beside a chain of three 20 ms tasks, then a join.
    const plan = planOf({
      work: [{ id: 'long' }, { id: 'a' }, { id: 'b', needs: ['a'] }, { id: 'c', needs: ['b'] }],
      end: [{ id: 'join', needs: ['long', 'c'] }],
    });
    const { clock, events, result } = start(plan, (task, execution, c) => takes(task.id === 'long' ? 60 : task.id === 'join' ? 0 : 20, { id: task.id })(task, execution, c), { concurrency: 8 });
    const t0 = clock.now();
    await clock.advance(60);
    const run = await result;
    expect(run.status).toBe('complete');
    expect(run.outcomes.map((o) => o.task.id)).toEqual(['long', 'a', 'b', 'c', 'join']);
    const starts = Object.fromEntries(ofType(events, 'task-start').map((e) => [e.task, Date.parse(e.at) - t0]));
    expect(starts).toEqual({ long: 0, a: 0, b: 20, c: 40, join: 60 });
    expect(run.outcomes.find((o) => o.task.id === 'join')!.durationMs).toBe(0);
  });

  it('never runs more than `concurrency` tasks at once', async () => {
    const plan = planOf({ fan: Array.from({ length: 10 }, (_, i) => ({ id: `t${i}` })) });
    let running = 0;
    let peak = 0;
    const { clock, result } = start(plan, async (_t, execution, c) => {
      peak = Math.max(peak, ++running);
      await c.sleep(10, execution.signal);
      running--;
      return { result: {} };
    }, { concurrency: 3 });
    await clock.advance(40);
    expect((await result).status).toBe('complete');
    expect(peak).toBe(3);
  });

  it('emits every event in order, stamped by the injected clock, phases paired', async () => {
    const plan = planOf({ one: [{ id: 'a' }], two: [{ id: 'b', needs: ['a'] }] });
    const { clock, events, result } = start(plan, takes(5));
    await clock.advance(10);
    await result;
    expect(events.map((e) => `${e.type}:${'task' in e ? e.task : 'phase' in e ? e.phase : ''}`)).toEqual([
      'phase-start:one', 'task-start:a', 'task-end:a', 'phase-end:one', 'phase-start:two', 'task-start:b', 'task-end:b', 'phase-end:two',
    ]);
    const times = events.map((e) => Date.parse(e.at) - Date.UTC(2026, 0, 1));
    expect(times).toEqual([0, 0, 5, 5, 5, 5, 10, 10]);
    expect(ofType(events, 'task-end')[0]).toMatchObject({ status: 'done', attempts: 1, durationMs: 5, result: { ok: true } });
  });

  it('an executor that throws synchronously fails its task; dependents are skipped under continue', async () => {
    const plan = planOf({ one: [{ id: 'a' }, { id: 'side' }], two: [{ id: 'b', needs: ['a'] }, { id: 'c', needs: ['side'] }] });
    const { result } = start(plan, (task) => {
      if (task.id === 'a') throw new Error('boom');
      return { result: {} };
    });
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.outcomes.map((o) => [o.task.id, o.status])).toEqual([['a', 'failed'], ['side', 'done'], ['b', 'skipped'], ['c', 'done']]);
    expect(run.outcomes[2]!.error).toEqual({ code: 'SKIPPED', message: 'skipped because "a" failed' });
  });
});

describe('scheduler: an attempt\'s signal, made when it is first read', () => {
  it('is aborted once the run has ended, whether it was read during the run or only after', async () => {
    const plan = planOf({ one: [{ id: 'early' }], two: [{ id: 'late' }] });
    const kept = new Map<string, TaskExecution>();
    const { clock, result } = start(plan, async (task, execution, c) => {
      kept.set(task.id, execution);
      if (task.id === 'early') await c.sleep(5, execution.signal); // reads it during the run
      return { result: {} };
    });
    await clock.advance(5);
    expect((await result).status).toBe('complete');
    const early = kept.get('early')!.signal;
    expect(early.aborted).toBe(true);
    expect(kept.get('late')!.signal.aborted).toBe(true); // first read after the end
    expect(early.reason).toMatchObject({ code: 'CANCELLED', message: 'the run has ended' });
  });

  it('a phase stopped before its attempt read the signal still hands out an aborted one', async () => {
    const plan = planOf({ one: [{ id: 'fails' }, { id: 'quiet' }] }, { failurePolicy: 'fail-fast' });
    let quiet: TaskExecution | undefined;
    const { clock, result } = start(plan, async (task, execution, c) => {
      if (task.id === 'fails') throw new Error('boom');
      quiet = execution;
      await c.sleep(50); // never reads its signal while running
      return { result: {} };
    }, { concurrency: 2 });
    await clock.advance(50);
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.outcomes.map((o) => [o.task.id, o.status])).toEqual([['fails', 'failed'], ['quiet', 'cancelled']]);
    expect(quiet!.signal.aborted).toBe(true);
    expect((quiet!.signal.reason as Error).message).toMatch(/^stopped because "fails" failed/);
  });

  it('adopts an executor that returns a plain value instead of a promise', async () => {
    const plan = planOf({ one: [{ id: 'a' }] });
    const result = await executePlan({
      plan,
      runId: 'run-1',
      clock: new FakeClock(),
      executor: (() => ({ result: { plain: true } })) as unknown as TaskExecutor,
      emit: () => undefined,
    });
    expect(result.status).toBe('complete');
    expect(result.outcomes[0]!.result).toEqual({ plain: true });
  });
});
