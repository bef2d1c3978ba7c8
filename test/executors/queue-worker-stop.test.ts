import { afterAll, beforeAll, expect, it } from 'vitest';
import { queueExecutor, removeQueue } from '../../src/executors/queue/index.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeReply, type FakeRequest } from '../../src/testing/fake-anthropic-server.js';
import { describeNeeding, REDIS_URL } from '../helpers/needs.js';
import { tempRepo } from '../helpers/workspace.js';
import { startWorkerProcess, type WorkerProcess } from './queue-workers.js';

const FILES = {
  'agents/builder.md': `---\nname: builder\ndescription: Stages one file\ntools: Read, Write\nmodel: haiku\nmaxTurns: 4\n---\nYou build.\n`,
  'workflows/one.yaml': `name: one\ndescription: one task\nphases:\n  - id: all\n    name: All\n    tasks:\n      - { id: only, agent: builder, prompt: Build. }\n`,
};

const turnOf = (request: FakeRequest) => request.body.messages.filter((m) => m.role === 'assistant').length;
const reply = (request: FakeRequest): FakeReply =>
  turnOf(request) === 0
    ? { content: [{ type: 'tool_use', id: 'w', name: 'write_file', input: { path: 'src/only.ts', content: 'export {};\n' } }], stopReason: 'tool_use' }
    : { content: [{ type: 'tool_use', id: 'f', name: 'finish', input: { summary: 'done' } }], stopReason: 'tool_use' };

const health = async (worker: WorkerProcess) => {
  const url = /health at (http:\S+)/.exec(worker.output())![1]!;
  return (await (await fetch(url)).json()) as { name: string; running: number; jobs: string[]; done: number; handedBack: number; stopping: boolean };
};
const exitCode = (worker: WorkerProcess) => new Promise<number | null>((resolve) => (worker.child.exitCode !== null ? resolve(worker.child.exitCode) : worker.child.on('exit', (code) => resolve(code))));

describeNeeding(['redis'], 'a queue worker stopping (real Redis, real worker processes)', () => {
  let api: FakeAnthropicServer;
  /** The first request of the next task waits until the test lets it go. */
  let held: { arrived: Promise<void>; release: () => void } | undefined;
  const queues: string[] = [];
  const env = () => ({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: api.url });
  const hold = () => {
    let arrive!: () => void;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    held = { arrived: new Promise<void>((resolve) => (arrive = resolve)), release };
    return { arrive, gate };
  };
  let pending: ReturnType<typeof hold> | undefined;
  beforeAll(async () => {
    api = await startFakeAnthropicServer({
      respond: async (request) => {
        if (pending && turnOf(request) === 0) {
          const { arrive, gate } = pending;
          pending = undefined;
          arrive();
          await gate;
        }
        return reply(request);
      },
    });
  });
  afterAll(async () => {
    held?.release();
    await api.close();
    for (const name of queues) await removeQueue(REDIS_URL, name);
  });

  const start = async (queue: string, extra: string[] = []) => startWorkerProcess(queue, env(), ['--concurrency', '1', '--health-port', '0', ...extra]);
  const run = async (queue: string) => {
    const executor = await queueExecutor({ redis: REDIS_URL, queue });
    const result = runWorkflow({ workflow: 'one', cwd: tempRepo(FILES), provider: 'anthropic', runtime: { env: env() }, executor });
    return { result: result.finally(() => executor.close()) };
  };

  it('serves its health, and on SIGTERM finishes the task it runs before it exits; the run completes', async () => {
    const queue = `test-stop-finish-${process.pid}`;
    queues.push(queue);
    const worker = await start(queue);
    const idle = await health(worker);
    expect(idle).toMatchObject({ name: worker.name, running: 0, done: 0, stopping: false });
    pending = hold();
    const { result } = await run(queue);
    await held!.arrived;
    expect(await health(worker)).toMatchObject({ running: 1, stopping: false });
    worker.child.kill('SIGTERM');
    await worker.waitFor(/stopping: finishing 1 running task/);
    // Still serving while it drains, and still running its task.
    expect(await health(worker)).toMatchObject({ running: 1, stopping: true });
    held!.release();
    const done = await result;
    expect(done.status).toBe('complete');
    expect(done.report.tasks[0]?.worker).toBe(worker.name);
    expect(done.stagedFiles.map((f) => f.path)).toEqual(['src/only.ts']);
    expect(await exitCode(worker)).toBe(0);
    expect(worker.output()).toMatch(/done \S+ only/);
  }, 90_000);

  it('with --drain-seconds 0 it gives the running task back to the queue; another worker runs it and the run completes', async () => {
    const queue = `test-stop-handback-${process.pid}`;
    queues.push(queue);
    const first = await start(queue, ['--drain-seconds', '0']);
    pending = hold();
    const { result } = await run(queue);
    await held!.arrived;
    const [job] = (await health(first)).jobs;
    first.child.kill('SIGTERM');
    await first.waitFor(/handed back \S+ only/);
    expect(await exitCode(first)).toBe(0);
    held!.release(); // the request the stopped task had made is answered to no one
    const second = await start(queue);
    try {
      const done = await result;
      expect(done.status).toBe('complete');
      expect(done.report.tasks[0]?.worker).toBe(second.name);
      expect(done.stagedFiles.map((f) => f.path)).toEqual(['src/only.ts']);
      // The same job (run, task, attempt) ran again: given back, not failed and retried.
      expect(second.output()).toContain(`job ${job})`);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
