import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/schema/events.js';
import { JournalWriter, type Durability } from '../../src/staging/journal.js';
import { offlineEnv } from '../helpers/workspace.js';
import { expectResumedLikeBaseline } from './checks.js';
import { doneTasks, resumedSession, seededTemplate, type RunSnapshot } from './harness.js';
import { baseline, runScenario, type Scenario } from './scenarios.js';

const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, turns: 0 };
const at = '2026-11-22T00:00:00.000Z';
const end = (task: string): RunEvent => ({ type: 'task-end', runId: 'r', at, phase: 'p', task, agent: 'x', status: 'done', durationMs: 0, usage, model: 'm', attempts: 1, result: null });
const runEnd: RunEvent = { type: 'run-end', runId: 'r', at, status: 'complete', durationMs: 0, usage };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function journal(durability: Durability): { writer: JournalWriter; lines: () => number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-group-commit-'));
  dirs.push(dir);
  const file = path.join(dir, 'journal.jsonl');
  const writer = new JournalWriter(file, { durability });
  return { writer, lines: () => readFileSync(file, 'utf8').split('\n').length - 1 };
}

describe('the journal: durability modes', () => {
  it('batched: events that end in one turn of the event loop share one write and fsync, after the turn', async () => {
    const { writer, lines } = journal('batched');
    for (let i = 0; i < 100; i++) writer.append(end(`t${i}`));
    expect(lines()).toBe(0);
    await writer.flush();
    expect(lines()).toBe(100);
    expect(writer.flushes).toBe(1);
    // What is appended while a write is in flight goes out together in the next one.
    writer.append(end('a'));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 10; i++) writer.append(end(`b${i}`));
    await writer.flush();
    expect(lines()).toBe(111);
    expect(writer.flushes).toBeLessThanOrEqual(3);
    await writer.close();
  });

  it('sync: each task end is on disk before append returns', async () => {
    const { writer, lines } = journal('sync');
    writer.append(end('a'));
    expect(lines()).toBe(1);
    expect(writer.flushes).toBe(1);
    await writer.close();
  });

  it('exit: nothing is written until the run flushes (its end awaits one flush); close writes the rest', async () => {
    const { writer, lines } = journal('exit');
    writer.append(end('a'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toBe(0);
    writer.append(runEnd);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines()).toBe(0);
    await writer.flush();
    expect(lines()).toBe(2);
    expect(writer.flushes).toBe(1);
    writer.append(end('b'));
    await writer.close();
    expect(lines()).toBe(3);
  });

  it('batched: the run\'s end waits for the flush the run awaits, not on the event loop', async () => {
    const { writer, lines } = journal('batched');
    writer.append(end('a'));
    writer.append(runEnd);
    expect(lines()).toBe(0);
    await writer.flush();
    expect(lines()).toBe(2);
    expect(writer.flushes).toBe(1);
    await writer.close();
  });
});

/**
 * SIGKILL after a task's end was appended to the journal and before it was flushed: a real
 * child process on the offline model, killed at `appended:task-end:configure`, then resumed.
 */
describe('group commit: a crash repeats at most the tasks whose end was not yet flushed', () => {
  const env = offlineEnv({ NO_COLOR: '1' });
  let template: string;
  let expected: RunSnapshot;
  let scenario: Scenario;

  beforeAll(async () => {
    template = await seededTemplate();
    expected = (await baseline({ template, env })).snapshot;
    scenario = await runScenario('appended:task-end:configure', { template, env });
  }, 120_000);
  afterAll(() => rmSync(template, { recursive: true, force: true }));

  it('the task whose end was not flushed runs again, and nothing that was flushed does', () => {
    expectResumedLikeBaseline(scenario, expected, 'configure ended, its end not yet flushed');
    const done = doneTasks(scenario.before);
    expect(done.has('configure')).toBe(false);
    expect(scenario.before.some((e) => e.type === 'task-start' && e.task === 'configure')).toBe(true);
    const started = resumedSession(scenario.after).flatMap((e) => (e.type === 'task-start' ? [e.task] : []));
    expect(started).toContain('configure');
    expect(started.filter((task) => done.has(task))).toEqual([]);
    expect(started.filter((task) => task === 'configure')).toHaveLength(1);
  });
});
