import { describe, expect, it } from 'vitest';
import { executePlan, type CompletedTask } from '../../src/engine/scheduler.js';
import { shouldRetry, resolveRetryPolicy } from '../../src/engine/retry-policy.js';
import { UserError } from '../../src/errors.js';
import { RunEvent } from '../../src/schema/events.js';
import { FakeClock } from '../engine/fake-clock.js';
import { ofType, start } from '../engine/harness.js';
import { planOf } from '../engine/plans.js';

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01, turns: 1 };

describe('the scheduler resuming a run', () => {
  it('does not run completed tasks: their recorded results feed their dependents, their task-end says reused', async () => {
    const plan = planOf({ one: [{ id: 'a' }, { id: 'b' }], two: [{ id: 'c', needs: ['a', 'b'] }] });
    const completed = new Map<string, CompletedTask>([['a', { result: { summary: 'from the journal' }, usage, model: 'claude-haiku-5-5', durationMs: 40, attempts: 2 }]]);
    const ran: string[] = [];
    const seen: Record<string, unknown> = {};
    const events: RunEvent[] = [];
    const result = await executePlan({
      plan,
      runId: 'r',
      clock: new FakeClock(),
      completed,
      emit: (event) => events.push(RunEvent.parse(event)),
      executor: async (task, execution) => {
        ran.push(task.id);
        seen[task.id] = execution.needs;
        return { result: { summary: `${task.id} ran` }, usage };
      },
    });
    expect(ran).toEqual(['b', 'c']);
    expect(seen.c).toEqual({ a: { summary: 'from the journal' }, b: { summary: 'b ran' } });
    expect(result.status).toBe('complete');
    expect(result.outcomes[0]).toMatchObject({ status: 'done', attempts: 2, durationMs: 40, model: 'claude-haiku-5-5', usage });
    expect(result.usage.costUsd).toBeCloseTo(0.03);
    expect(ofType(events, 'task-end').map((e) => [e.task, e.reused ?? false])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(ofType(events, 'task-start').map((e) => e.task)).toEqual(['b', 'c']);
  });

  it('completes at once when every task was done, with no task started', async () => {
    const plan = planOf({ one: [{ id: 'a' }], two: [{ id: 'b', needs: ['a'] }] });
    const completed = new Map<string, CompletedTask>(['a', 'b'].map((id) => [id, { result: { id }, usage, model: 'offline', durationMs: 1, attempts: 1 }]));
    const events: RunEvent[] = [];
    const run = await executePlan({
      plan,
      runId: 'r',
      clock: new FakeClock(),
      completed,
      emit: (event) => events.push(event),
      executor: async () => {
        throw new Error('must not run');
      },
    });
    expect(run.status).toBe('complete');
    expect(ofType(events, 'task-start')).toEqual([]);
    expect(ofType(events, 'phase-end').map((e) => e.status)).toEqual(['done', 'done']);
    expect(run.outcomes.map((o) => o.result)).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});

describe('task-level retries never repeat what the provider refused for good', () => {
  it.each(['AUTH_FAILED', 'MODEL_NOT_FOUND', 'REPLAY_MISMATCH'])('%s is final whatever the policy allows', async (code) => {
    expect(shouldRetry(resolveRetryPolicy({ maximumAttempts: 5 }), 1, code)).toBe(false);
    const plan = planOf({ one: [{ id: 'call', retry: { maximumAttempts: 4, initialInterval: '1ms' } }] });
    let calls = 0;
    const { result } = start(plan, () => {
      calls++;
      throw new UserError(code, 'no');
    });
    const run = await result;
    expect(calls).toBe(1);
    expect(run.outcomes[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code } });
  });

  it('the provider codes left after its own retries are still retried at task level when the policy asks', () => {
    for (const code of ['MODEL_OVERLOADED', 'RATE_LIMITED', 'MODEL_UNAVAILABLE']) expect(shouldRetry(resolveRetryPolicy({ maximumAttempts: 2 }), 1, code)).toBe(true);
  });
});
