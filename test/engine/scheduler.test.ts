import { describe, expect, it } from 'vitest';
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
