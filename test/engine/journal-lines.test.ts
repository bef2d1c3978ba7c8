import { describe, expect, it } from 'vitest';
import type { PlannedTask } from '../../src/engine/plan.js';
import { TaskEndEvent, TaskOutcomeRecord, TaskStartEvent } from '../../src/engine/task-records.js';
import type { ErrorInfo, TaskStatus } from '../../src/schema/events.js';
import { emptyUsage } from '../../src/schema/usage.js';

const task = (id: string, phase = 'p', agent = `function:${id}`): PlannedTask => ({ id, index: 0, phase, kind: 'function', agent, function: id, needs: [], promptTemplate: '', retry: { maxAttempts: 1, initialDelayMs: 0, backoffFactor: 2, maxDelayMs: 0, retryOn: [] } as unknown as PlannedTask['retry'] });
const frozen = Object.freeze(emptyUsage());
const spent = { ...emptyUsage(), inputTokens: 12, outputTokens: 3, costUsd: 0.000123, turns: 2 };
const failure: ErrorInfo = { code: 'TASK_FAILED', message: 'it said "no"\n\u2028 and left' };

/** The scheduler's task events write their journal line by hand: it must be JSON.stringify's, byte for byte. */
describe('journal lines of task events', () => {
  const tasks = [task('a'), task('fetch_data', 'phase "one"'), task('ünïcode-✓', 'p', 'agent\\with\\slashes'), task('t\u2029')];
  const ends: Array<[TaskStatus, unknown, ErrorInfo | undefined, boolean]> = [
    ['done', null, undefined, false],
    ['done', undefined, undefined, false],
    ['done', { summary: 'ok "quoted"', list: [1, 2.5, -0, 'x'], nested: { deep: true } }, undefined, false],
    ['done', 'text\twith\u0001control', undefined, true],
    ['done', 42.000001, undefined, false],
    ['failed', undefined, failure, false],
    ['skipped', undefined, { code: 'SKIPPED', message: 'skipped because "a" failed' }, false],
  ];

  it('task-start: the same bytes as JSON.stringify', () => {
    for (const t of tasks) for (const attempt of [1, 2, 17]) {
      const event = new TaskStartEvent('20261125-195546-bench-09bb80', '2026-11-25T19:57:37.247Z', t, attempt);
      expect(event.toJournalLine()).toBe(`${JSON.stringify(event)}\n`);
    }
  });

  it('task-end: the same bytes as JSON.stringify, for results, errors, usage and reuse', () => {
    for (const t of tasks) {
      for (const [status, result, error, reused] of ends) {
        for (const usage of [frozen, spent]) {
          for (const durationMs of [0, 12.345678, 1e21]) {
            const outcome = new TaskOutcomeRecord(t, status, usage, status === 'done' ? 'function' : 'unknown', durationMs, status === 'skipped' ? 0 : 1, result, error);
            for (const runId of ['r1', 'run "2"']) {
              const event = new TaskEndEvent(runId, '2026-11-25T19:57:37.247Z', outcome, reused);
              expect(event.toJournalLine()).toBe(`${JSON.stringify(event)}\n`);
            }
          }
        }
      }
    }
  });

  it('the task they belong to is not a field: JSON and a spread see the event only', () => {
    const event = new TaskStartEvent('r', '2026-11-25T19:57:37.247Z', task('a'), 1);
    expect(Object.keys({ ...event })).toEqual(['type', 'runId', 'at', 'phase', 'task', 'agent', 'attempt']);
  });
});
