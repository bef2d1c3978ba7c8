import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { queueExecutor, redisTarget, removeQueue } from '../../src/executors/queue/index.js';
import { requestCounterKey } from '../../src/executors/queue/redis-limiter.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeReply, type FakeRequest } from '../../src/testing/fake-anthropic-server.js';
import { describeNeeding, REDIS_URL } from '../helpers/needs.js';
import { tempRepo } from '../helpers/workspace.js';
import { startWorkerProcess, type WorkerProcess } from './queue-workers.js';

// An agent per task: a worker lets the first request of a prompt prefix go alone and holds the
// others sharing it until it answers (prompt caching), which would hide how many tasks run at once.
const agent = (i: number) => `---
name: builder${i}
description: Finishes in two turns, for the queue limit tests
tools: Read, Write
model: haiku
maxTurns: 4
---
You build part ${i}.
`;

const fanOut = (tasks: number): Record<string, string> => {
  const files: Record<string, string> = {
    'workflows/fan.yaml': `name: fan\ndescription: a fan-out\nphases:\n  - id: all\n    name: All\n    tasks:\n${Array.from({ length: tasks }, (_, i) => `      - { id: t${i}, agent: builder${i}, prompt: Task ${i}. }`).join('\n')}\n`,
  };
  for (let i = 0; i < tasks; i++) files[`agents/builder${i}.md`] = agent(i);
  return files;
};

const turnOf = (request: FakeRequest) => request.body.messages.filter((m) => m.role === 'assistant').length;
const twoTurns = (request: FakeRequest): FakeReply =>
  turnOf(request) === 0
    ? { content: [{ type: 'tool_use', id: 'w', name: 'write_file', input: { path: `src/${request.task}.ts`, content: 'export {};\n' } }], stopReason: 'tool_use' }
    : { content: [{ type: 'tool_use', id: 'f', name: 'finish', input: { summary: 'done' } }], stopReason: 'tool_use' };

/**
 * Counts the tasks in flight at the model (from a task's first request to its last reply) and
 * holds first requests until `bound` tasks (or every task not yet let go) are held at once, so
 * the bound is reached each round without waiting on any clock.
 */
function boundedGate(bound: number, tasks: number) {
  const inFlight = new Set<string>();
  let held: (() => void)[] = [];
  let released = 0;
  const gate = {
    most: 0,
    respond: async (request: FakeRequest): Promise<FakeReply> => {
      const task = request.task ?? '?';
      if (turnOf(request) === 0) {
        inFlight.add(task);
        gate.most = Math.max(gate.most, inFlight.size);
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (held.length >= Math.min(bound, tasks - released)) {
            released += held.length;
            for (const go of held.splice(0)) go();
          }
        });
        return twoTurns(request);
      }
      inFlight.delete(task);
      return twoTurns(request);
    },
  };
  return gate;
}

describeNeeding(['redis'], 'limits across queue workers (real Redis, two worker processes)', () => {
  let api: FakeAnthropicServer;
  let respond: (request: FakeRequest) => Promise<FakeReply> | FakeReply = twoTurns;
  let workers: WorkerProcess[] = [];
  const queues: string[] = [];
  const env = () => ({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: api.url });
  const newQueue = () => {
    const name = `test-limits-${process.pid}-${queues.length}`;
    queues.push(name);
    return name;
  };
  beforeAll(async () => {
    api = await startFakeAnthropicServer({ respond: (request) => respond(request) });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });
  afterAll(async () => {
    await api.close();
    for (const name of queues) await removeQueue(REDIS_URL, name);
  });

  const run = async (queue: string, tasks: number, concurrency: number, signal?: AbortSignal) => {
    const executor = await queueExecutor({ redis: REDIS_URL, queue });
    try {
      const cwd = tempRepo(fanOut(tasks));
      return await runWorkflow({ workflow: 'fan', cwd, provider: 'anthropic', concurrency, runtime: { env: env() }, executor, ...(signal ? { signal } : {}) });
    } finally {
      await executor.close();
    }
  };

  it('--global-concurrency bounds the tasks in flight across every worker of the queue', async () => {
    const queue = newQueue();
    const gate = boundedGate(3, 12);
    respond = gate.respond;
    // Eight task slots between the two workers, twelve tasks the run would start at once: the queue's bound is three.
    workers = [await startWorkerProcess(queue, env(), ['--concurrency', '4', '--global-concurrency', '3']), await startWorkerProcess(queue, env(), ['--concurrency', '4'])];
    const result = await run(queue, 12, 12);
    expect(result.status).toBe('complete');
    expect(gate.most).toBe(3);
    const ran = new Set(result.report.tasks.map((t) => t.worker));
    expect(ran.size).toBe(2); // both workers took tasks
    const q = new Queue(queue, { connection: redisTarget(REDIS_URL).connection });
    expect(await q.getGlobalConcurrency()).toBe(3);
    await q.close();
  }, 120_000);

  it("a run's --concurrency holds across workers too", async () => {
    const queue = newQueue();
    const gate = boundedGate(2, 8);
    respond = gate.respond;
    workers = [await startWorkerProcess(queue, env(), ['--concurrency', '4']), await startWorkerProcess(queue, env(), ['--concurrency', '4'])];
    const result = await run(queue, 8, 2);
    expect(result.status).toBe('complete');
    expect(gate.most).toBe(2);
  }, 120_000);

  it('--requests-per-minute is one limit for every worker: requests past it wait, and no minute grants more', async () => {
    const queue = newQueue();
    respond = twoTurns;
    const limit = 4;
    workers = [
      await startWorkerProcess(queue, env(), ['--concurrency', '4', '--requests-per-minute', String(limit)]),
      await startWorkerProcess(queue, env(), ['--concurrency', '4', '--requests-per-minute', String(limit)]),
    ];
    const before = api.requests.length;
    const controller = new AbortController();
    const outcome = run(queue, 6, 6, controller.signal);
    // Six tasks of two requests: four requests are granted, then every task waits (counted by the workers' lines).
    const waits = () => workers.reduce((sum, w) => sum + (w.output().match(/waiting \d+ s for the model request limit/g)?.length ?? 0), 0);
    await Promise.all(workers.map((w) => w.waitFor(/waiting \d+ s for the model request limit/)));
    await new Promise<void>((resolve) => {
      const check = () => (waits() >= 6 ? resolve() : undefined);
      for (const w of workers) w.child.stdout!.on('data', check);
      check();
    });
    const made = api.requests.length - before;
    const q = new Queue(queue, { connection: redisTarget(REDIS_URL).connection });
    const counters = await (await q.getBackend().client).hgetall(requestCounterKey(queue));
    await q.close();
    const granted = Object.entries(counters).filter(([field]) => !field.includes(':'));
    // Every minute (of Redis's clock) granted at most the limit, and the model saw no request it did not grant.
    for (const [, count] of granted) expect(Number(count)).toBeLessThanOrEqual(limit);
    expect(made).toBeGreaterThanOrEqual(limit);
    expect(made).toBeLessThanOrEqual(granted.reduce((sum, [, count]) => sum + Number(count), 0));
    controller.abort();
    expect((await outcome).status).toBe('cancelled');
  }, 120_000);
});
