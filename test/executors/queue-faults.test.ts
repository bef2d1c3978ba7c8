import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queueExecutor, redisTarget, removeQueue } from '../../src/executors/queue/index.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import type { RunEvent } from '../../src/schema/events.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeReply, type FakeRequest } from '../../src/testing/fake-anthropic-server.js';
import { runCli } from '../helpers/cli.js';
import { describeNeeding, REDIS_URL } from '../helpers/needs.js';
import { BIN, tempRepo } from '../helpers/workspace.js';
import { startWorkerProcess, type WorkerProcess } from './queue-workers.js';

const AGENT = `---
name: builder
description: Stages a file per task, for the queue fault tests
tools: Read, Write
model: haiku
maxTurns: 4
---
You build.
`;

const WORKFLOW = `name: faults
description: three tasks in a chain
phases:
  - id: one
    name: One
    tasks:
      - { id: first, agent: builder, prompt: First. }
  - id: two
    name: Two
    tasks:
      - { id: second, agent: builder, prompt: Second. }
  - id: three
    name: Three
    tasks:
      - { id: third, agent: builder, prompt: Third. }
`;

const turnOf = (request: FakeRequest) => request.body.messages.filter((m) => m.role === 'assistant').length;

/** Each task writes src/<task>.ts, then finishes. */
function reply(request: FakeRequest): FakeReply {
  const task = request.task ?? 'unknown';
  if (turnOf(request) === 0) return { content: [{ type: 'tool_use', id: 'w', name: 'write_file', input: { path: `src/${task}.ts`, content: `export const ${task} = true;\n` } }], stopReason: 'tool_use' };
  return { content: [{ type: 'tool_use', id: 'f', name: 'finish', input: { summary: `${task} done` } }], stopReason: 'tool_use' };
}

const journal = (runDir: string) => readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
const tree = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
};

describeNeeding(['redis'], 'the queue executor under faults (real Redis, real worker processes)', () => {
  const queue = `test-faults-${process.pid}`;
  let api: FakeAnthropicServer;
  let hold: ((request: FakeRequest) => Promise<FakeReply> | undefined) | undefined;
  const env = () => ({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: api.url });
  beforeAll(async () => {
    api = await startFakeAnthropicServer({ respond: (request) => hold?.(request) ?? reply(request) });
  });
  afterAll(async () => {
    await removeQueue(REDIS_URL, queue);
    await api.close();
  });

  it('a worker SIGKILLed mid-task: its job is run again by the other worker, the run completes, only that task ran twice', async () => {
    const workers: WorkerProcess[] = [await startWorkerProcess(queue, env(), ['--concurrency', '1']), await startWorkerProcess(queue, env(), ['--concurrency', '1'])];
    const executor = await queueExecutor({ redis: REDIS_URL, queue });
    try {
      let killed: string | undefined;
      // The first request of task "second" is never answered: its worker is killed while it waits.
      hold = (request) => {
        if (request.task !== 'second' || killed) return undefined;
        const victim = workers.find((w) => / running \S+ second /.test(w.output()))!;
        killed = victim.name;
        victim.child.kill('SIGKILL');
        return new Promise<FakeReply>(() => undefined);
      };
      const cwd = tempRepo({ 'agents/builder.md': AGENT, 'workflows/faults.yaml': WORKFLOW });
      const result = await runWorkflow({ workflow: 'faults', cwd, provider: 'anthropic', requestsPerMinute: 10_000, runtime: { env: env() }, executor });
      expect(result.status).toBe('complete');
      const events = journal(result.runDir);
      expect(events.filter((e) => e.type === 'task-end').map((e) => e.type === 'task-end' && [e.task, e.status])).toEqual([
        ['first', 'done'],
        ['second', 'done'],
        ['third', 'done'],
      ]);
      // Only the task in flight on the killed worker ran twice (one model request more), on the other worker.
      const firstTurns = (task: string) => api.requests.filter((r) => r.task === task && turnOf(r) === 0).length;
      expect([firstTurns('first'), firstTurns('second'), firstTurns('third')]).toEqual([1, 2, 1]);
      const survivor = workers.find((w) => w.name !== killed)!;
      expect(result.report.tasks.find((t) => t.id === 'second')?.worker).toBe(survivor.name);
      // The staged tree is what an uninterrupted run stages.
      hold = undefined;
      const clean = await runWorkflow({ workflow: 'faults', cwd: tempRepo({ 'agents/builder.md': AGENT, 'workflows/faults.yaml': WORKFLOW }), provider: 'anthropic', runtime: { env: env() } });
      expect(tree(path.join(result.runDir, 'files/node_modules'))).toEqual(tree(path.join(clean.runDir, 'files/node_modules')));
      // show and logs work, and the timeline names the worker.
      const show = runCli(['show', result.runId], cwd);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain(`on ${survivor.name}`);
      expect(runCli(['logs', result.runId], cwd).code).toBe(0);
      expect(runCli(['runs'], cwd).stdout).toContain(result.runId);
    } finally {
      hold = undefined;
      await executor.close();
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 120_000);

  let startIndex = 0;
  it('a coordinator SIGKILLed mid-run resumes and adopts the job that finished meanwhile instead of running it again', async () => {
    const worker = await startWorkerProcess(queue, env());
    startIndex = api.requests.length;
    try {
      const cwd = tempRepo({ 'agents/builder.md': AGENT, 'workflows/faults.yaml': WORKFLOW });
      const childEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env() };
      const coordinator = spawn(process.execPath, [BIN, 'run', 'faults', '--redis', REDIS_URL, '--queue', queue, '--provider', 'anthropic', '--quiet'], { cwd, env: childEnv, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => coordinator.on('exit', () => resolve()));
      let release: (() => void) | undefined;
      // Task "second" is answered only once the coordinator is dead: its job finishes while no one waits for it.
      hold = (request) => {
        if (request.task !== 'second' || release) return undefined;
        coordinator.kill('SIGKILL');
        return new Promise<FakeReply>((resolve) => (release = () => resolve(reply(request))));
      };
      await exited;
      release!();
      await worker.waitFor(/ done \S+ second /);
      hold = undefined;
      const runId = readdirSync(path.join(cwd, 'pending-commits')).find((name) => !name.startsWith('.'))!;
      const resumed = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'resume', runId, '--redis', REDIS_URL, '--queue', queue, '--quiet'], { cwd, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const firstTurns = (task: string) => api.requests.filter((r) => r.task === task && turnOf(r) === 0 && r.index >= startIndex).length;
      expect([firstTurns('first'), firstTurns('second'), firstTurns('third')]).toEqual([1, 1, 1]);
      const events = journal(path.join(cwd, 'pending-commits', runId));
      expect(events.filter((e) => e.type === 'task-end' && e.status === 'done' && !e.reused).map((e) => e.type === 'task-end' && e.task)).toEqual(['first', 'second', 'third']);
      expect(tree(path.join(cwd, 'pending-commits', runId, 'files/node_modules'))).toEqual({
        'src/first.ts': 'export const first = true;\n',
        'src/second.ts': 'export const second = true;\n',
        'src/third.ts': 'export const third = true;\n',
      });
    } finally {
      hold = undefined;
      await worker.stop();
    }
  }, 120_000);

  it('a job of another protocol version, or one failing its schema, is failed with the reason and not retried', async () => {
    const worker = await startWorkerProcess(queue, env());
    const q = new Queue(queue, { connection: redisTarget(REDIS_URL).connection });
    try {
      const future = await q.add('t', { schemaVersion: 999, runId: 'r' }, { jobId: `future-${process.pid}`, attempts: 5 });
      const broken = await q.add('t', { schemaVersion: 1, runId: '' }, { jobId: `broken-${process.pid}`, attempts: 5 });
      await worker.waitFor(/refused job broken-/);
      await worker.waitFor(/refused job future-/);
      const [a, b] = await Promise.all([q.getJob(future.id!), q.getJob(broken.id!)]);
      expect(await a!.getState()).toBe('failed');
      expect(a!.failedReason).toMatch(/task schema version 999; this worker reads version 1/);
      expect(a!.attemptsMade).toBe(1);
      expect(await b!.getState()).toBe('failed');
      expect(b!.failedReason).toMatch(/is not a valid task: runId/);
    } finally {
      await q.close();
      await worker.stop();
    }
  }, 60_000);

  it('a malformed Redis URL or an unreachable Redis: one line, exit 2, nothing written', () => {
    const cwd = tempRepo();
    const bad = runCli(['integrate', 'twilio', '--redis', 'http://nope', '--yes'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/is not a Redis URL/);
    const down = runCli(['integrate', 'twilio', '--redis', 'redis://127.0.0.1:1', '--yes'], cwd);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 does not answer/);
    expect(existsSync(path.join(cwd, 'pending-commits'))).toBe(false);
    expect(runCli(['worker', '--redis', 'redis://127.0.0.1:1'], cwd).code).toBe(2);
  });
});
