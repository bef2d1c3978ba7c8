import { describe, expect, it } from 'vitest';
import { TaskError } from '../../src/errors.js';
import { planOf } from './plans.js';
import { ofType, start } from './harness.js';

describe('cancellation through an AbortSignal', () => {
  it('running tasks see the signal, nothing new starts, the run ends cancelled', async () => {
    const plan = planOf({ one: [{ id: 'a' }, { id: 'b' }, { id: 'queued' }], two: [{ id: 'later', needs: ['a'] }] });
    const controller = new AbortController();
    const aborted: string[] = [];
    const { clock, events, result } = start(plan, async (task, execution, c) => {
      execution.signal.addEventListener('abort', () => aborted.push(task.id));
      await c.sleep(100, execution.signal);
      return { result: {} };
    }, { concurrency: 2, signal: controller.signal });
    await clock.advance(10);
    controller.abort();
    const run = await result;
    expect(run.status).toBe('cancelled');
    expect(aborted.sort()).toEqual(['a', 'b']);
    expect(ofType(events, 'task-start').map((e) => e.task)).toEqual(['a', 'b']);
    expect(run.outcomes.map((o) => [o.task.id, o.status, o.attempts])).toEqual([['a', 'cancelled', 1], ['b', 'cancelled', 1], ['queued', 'cancelled', 0], ['later', 'cancelled', 0]]);
    expect(ofType(events, 'phase-end').map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
    await clock.advance(1000);
    expect(ofType(events, 'task-start')).toHaveLength(2);
  });

  it('a signal aborted before the run starts runs nothing', async () => {
    const plan = planOf({ one: [{ id: 'a' }] });
    const { events, result } = start(plan, () => ({ result: {} }), { signal: AbortSignal.abort() });
    expect((await result).status).toBe('cancelled');
    expect(ofType(events, 'task-start')).toHaveLength(0);
  });
});

describe('failure policy', () => {
  const plan = (failurePolicy: 'fail-fast' | 'continue') =>
    planOf({ one: [{ id: 'bad' }, { id: 'sibling' }, { id: 'other' }], two: [{ id: 'after-bad', needs: ['bad'] }, { id: 'after-other', needs: ['other'] }] }, { failurePolicy });
  const behaviour = async (task: { id: string }, execution: { signal: AbortSignal }, c: { sleep: (ms: number, s?: AbortSignal) => Promise<void> }) => {
    if (task.id === 'bad') {
      await c.sleep(5, execution.signal);
      throw new TaskError('BROKEN', 'it broke');
    }
    await c.sleep(task.id === 'other' ? 1 : 50, execution.signal);
    return { result: {} };
  };

  it('fail-fast cancels running siblings at the first failed task and skips what had not started', async () => {
    const { clock, result } = start(plan('fail-fast'), behaviour as never, { concurrency: 4 });
    await clock.advance(100);
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ code: 'BROKEN', message: 'task "bad" failed: it broke' });
    expect(run.outcomes.map((o) => [o.task.id, o.status])).toEqual([
      ['bad', 'failed'], ['sibling', 'cancelled'], ['other', 'done'], ['after-bad', 'skipped'], ['after-other', 'cancelled'],
    ]);
    expect(run.outcomes[1]!.error!.message).toBe('stopped because "bad" failed: it broke (failure policy fail-fast)');
  });

  it('continue lets independent branches finish and skips the dependents of the failed task', async () => {
    const { clock, result } = start(plan('continue'), behaviour as never, { concurrency: 4 });
    await clock.advance(100);
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.outcomes.map((o) => [o.task.id, o.status])).toEqual([
      ['bad', 'failed'], ['sibling', 'done'], ['other', 'done'], ['after-bad', 'skipped'], ['after-other', 'done'],
    ]);
  });
});
