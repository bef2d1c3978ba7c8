import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineWorkflow, runWorkflow } from '../../src/index.js';
import type { RunEvent } from '../../src/schema/events.js';
import { runState } from '../../src/staging/run-state.js';
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

  it('batched: a flush awaited while a batch is in flight writes beside it at once, and the writer goes on as before', async () => {
    const { writer } = journal('batched');
    writer.append(end('a'));
    await writer.flush();
    writer.append(end('b'));
    const first = writer.flush();
    writer.append(end('c'));
    writer.append(runEnd);
    const second = writer.flush();
    // Written beside the batch in flight, not queued behind it.
    expect((writer as unknown as { overtaking?: unknown }).overtaking).toBeDefined();
    await Promise.all([first, second]);
    expect(writer.flushes).toBe(3);
    writer.append(end('d'));
    await writer.flush();
    await writer.close();
    const written = readFileSync(writer.file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; task?: string });
    expect(written.map((event) => event.task ?? event.type)).toEqual(['a', 'b', 'c', 'run-end', 'd']);
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

/**
 * The last manifest's rename is not fsynced: a machine crash may leave the manifest that says
 * `running`. Made by hand here (the state such a crash leaves): the run reads as interrupted, and
 * a resume finishes it from the journal without running any task again.
 */
describe('a finished run whose last manifest was lost', () => {
  it('reads as interrupted and resumes from the journal, running no task again', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'orchestrate-lost-manifest-'));
    dirs.push(cwd);
    const calls: string[] = [];
    const flow = defineWorkflow({
      name: 'lost-manifest',
      description: 'two code tasks',
      phases: [{ id: 'p', name: 'P', tasks: [{ id: 'a', run: () => (calls.push('a'), 1) }, { id: 'b', needs: ['a'], run: () => (calls.push('b'), 2) }] }],
    });
    const first = await runWorkflow({ workflow: flow, cwd, runtime: { env: {} } });
    expect(first.status).toBe('complete');
    const file = path.join(first.runDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    const { endedAt: _endedAt, usage: _usage, ...running } = manifest;
    writeFileSync(file, JSON.stringify({ ...running, status: 'running', owner: { pid: 2 ** 22 + 1, host: manifest.owner.host } }));
    expect(runState(JSON.parse(readFileSync(file, 'utf8')))).toBe('interrupted');
    const resumed = await runWorkflow({ workflow: flow, resume: first.runId, cwd, runtime: { env: {} } });
    expect(resumed.status).toBe('complete');
    expect(resumed.results).toEqual({ a: 1, b: 2 });
    expect(calls).toEqual(['a', 'b']);
    expect(JSON.parse(readFileSync(file, 'utf8')).status).toBe('complete');
  });
});
