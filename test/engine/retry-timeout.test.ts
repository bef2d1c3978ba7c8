import { describe, expect, it } from 'vitest';
import { TaskError, UserError } from '../../src/errors.js';
import { resolveRetryPolicy, retryDelayMs } from '../../src/engine/retry-policy.js';
import { planOf } from './plans.js';
import { ofType, start } from './harness.js';

describe('retry policy', () => {
  it('backs off exponentially up to the maximum interval, minus jitter drawn from the injected random', () => {
    const policy = resolveRetryPolicy({ maximumAttempts: 6, initialInterval: '500ms' }, { backoffCoefficient: 3, maximumInterval: '5s', jitter: 0.5 });
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy, a, () => 0))).toEqual([500, 1500, 4500, 5000]);
    expect(retryDelayMs(policy, 1, () => 0.5)).toBe(375);
    expect(policy.maximumAttempts).toBe(6);
  });

  it('retries a failing task on the fake clock with task-retry events, then succeeds', async () => {
    const plan = planOf({ one: [{ id: 'flaky', retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, jitter: 0 } }] });
    let calls = 0;
    const { clock, events, result } = start(plan, () => {
      if (++calls < 3) throw new TaskError('UPSTREAM_5XX', `attempt ${calls} failed`);
      return { result: { calls } };
    });
    await clock.advance(999);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    await clock.advance(2000);
    const run = await result;
    expect(run.status).toBe('complete');
    expect(run.outcomes[0]).toMatchObject({ status: 'done', attempts: 3, result: { calls: 3 }, durationMs: 3000 });
    expect(ofType(events, 'task-retry').map((e) => [e.attempt, e.delayMs, e.error.code])).toEqual([[2, 1000, 'UPSTREAM_5XX'], [3, 2000, 'UPSTREAM_5XX']]);
    expect(ofType(events, 'task-start').map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('does not retry a non-retryable code, nor past maximumAttempts', async () => {
    const plan = planOf({
      one: [
        { id: 'bad-input', retry: { maximumAttempts: 5, nonRetryableErrorCodes: ['INVALID_RESULT'] } },
        { id: 'always', retry: { maximumAttempts: 2, initialInterval: '10ms' } },
      ],
    });
    const calls: Record<string, number> = {};
    const { clock, result } = start(plan, (task) => {
      calls[task.id] = (calls[task.id] ?? 0) + 1;
      throw new TaskError(task.id === 'bad-input' ? 'INVALID_RESULT' : 'FLAKY', 'no');
    });
    await clock.advance(100);
    const run = await result;
    expect(calls).toEqual({ 'bad-input': 1, always: 2 });
    expect(run.outcomes.map((o) => [o.status, o.attempts, o.error?.code])).toEqual([['failed', 1, 'INVALID_RESULT'], ['failed', 2, 'FLAKY']]);
    void UserError;
  });
});

describe('timeouts', () => {
  it('times out an attempt: the task sees its signal abort, and the timeout can be retried', async () => {
    const plan = planOf({ one: [{ id: 'slow', timeoutMs: 100, retry: { maximumAttempts: 2, initialInterval: '50ms', jitter: 0 } }] });
    const seen: string[] = [];
    const { clock, events, result } = start(plan, async (_task, execution, c) => {
      execution.signal.addEventListener('abort', () => seen.push(`attempt ${execution.attempt}: ${(execution.signal.reason as Error).message}`));
      await c.sleep(1000, execution.signal);
      return { result: {} };
    });
    await clock.advance(250);
    const run = await result;
    expect(run.outcomes[0]).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'TASK_TIMEOUT' } });
    expect(seen).toEqual(['attempt 1: task "slow" timed out after 100 ms (attempt 1)', 'attempt 2: task "slow" timed out after 100 ms (attempt 2)']);
    expect(ofType(events, 'task-end')[0]!.durationMs).toBe(250);
    expect(clock.pending).toBe(0);
  });

  it('a task that ignores its signal still ends at its timeout', async () => {
    const plan = planOf({ one: [{ id: 'stubborn', timeoutMs: 10 }] });
    const { clock, result } = start(plan, () => new Promise(() => undefined));
    await clock.advance(10);
    expect((await result).outcomes[0]).toMatchObject({ status: 'failed', error: { code: 'TASK_TIMEOUT' } });
  });

  it('a run timeout fails running tasks with RUN_TIMEOUT and skips the rest', async () => {
    const plan = planOf({ one: [{ id: 'a' }], two: [{ id: 'b', needs: ['a'] }] }, { timeoutMs: 30 });
    const { clock, result } = start(plan, async (_t, execution, c) => {
      await c.sleep(100, execution.signal);
      return { result: {} };
    });
    await clock.advance(30);
    const run = await result;
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'RUN_TIMEOUT', message: 'the run timed out after 30 ms' });
    expect(run.outcomes.map((o) => [o.task.id, o.status, o.error?.code])).toEqual([['a', 'failed', 'RUN_TIMEOUT'], ['b', 'skipped', 'RUN_TIMEOUT']]);
  });
});
