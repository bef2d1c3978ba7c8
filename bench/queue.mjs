// The queue executor's scaling and overhead, side by side in one run (issue 19). Needs Redis
// (ORCHESTRATE_TEST_REDIS_URL, default redis://127.0.0.1:6379) and a build (npm run build).
//
// Scaling: eight runs at once of a workflow of eight agent tasks (two model turns each) over the
// fake Messages API answering every request after a fixed 300 ms, on 1, 2, 4 and 8 worker
// processes of concurrency 4: wall time, and throughput against one worker. The workflow is a
// fan-out of agent tasks rather than `integrate` (whose offline roles do not speak over HTTP):
// like integrate's tasks, they are bound by the model's latency, not by the CPU.
// Overhead: 200 agent tasks whose model answers at once, in-process and on the queue (4 workers):
// the time per task each adds. Writes bench/results-queue.json.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'orchestrate.js');
const redis = process.env.ORCHESTRATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { runWorkflow } = await import(path.join(root, 'dist', 'index.js'));
const { queueExecutor, checkRedis, redisTarget } = await import(path.join(root, 'dist', 'executors', 'queue', 'index.js'));
const { startFakeAnthropicServer } = await import(path.join(root, 'dist', 'testing', 'index.js'));

try {
  await checkRedis(redisTarget(redis), 'bench-probe');
} catch (error) {
  console.log(`queue bench skipped: ${error.message}`);
  process.exit(0);
}

const AGENT = `---\nname: builder\ndescription: bench agent\ntools: Read, Write\nmodel: haiku\nmaxTurns: 4\n---\nBuild.\n`;
const workflow = (tasks) =>
  `name: fan\ndescription: a fan-out of agent tasks\nphases:\n  - id: all\n    name: All\n    tasks:\n${Array.from({ length: tasks }, (_, i) => `      - { id: t${i}, agent: builder, prompt: Task ${i}. }`).join('\n')}\n`;

let latencyMs = 300;
const api = await startFakeAnthropicServer({
  respond: async (request) => {
    if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const turn = request.body.messages.filter((m) => m.role === 'assistant').length;
    if (turn === 0) return { content: [{ type: 'tool_use', id: 'w', name: 'write_file', input: { path: `src/${request.task}.ts`, content: 'export {};\n' } }], stopReason: 'tool_use' };
    return { content: [{ type: 'tool_use', id: 'f', name: 'finish', input: { summary: 'done' } }], stopReason: 'tool_use' };
  },
});
const env = { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: api.url };

function repo(tasks) {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-bench-queue-'));
  mkdirSync(path.join(dir, 'agents'));
  mkdirSync(path.join(dir, 'workflows'));
  writeFileSync(path.join(dir, 'agents', 'builder.md'), AGENT);
  writeFileSync(path.join(dir, 'workflows', 'fan.yaml'), workflow(tasks));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  return dir;
}

async function startWorkers(n, queue) {
  const workers = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, [bin, 'worker', '--redis', redis, '--queue', queue, '--concurrency', '4'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('taking tasks')) resolve();
      });
    });
    workers.push(child);
  }
  return workers;
}

async function stopWorkers(workers) {
  await Promise.all(workers.map((child) => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); })));
}

async function runs(count, tasks, executor) {
  const dirs = Array.from({ length: count }, () => repo(tasks));
  const started = performance.now();
  const results = await Promise.all(dirs.map((cwd) => runWorkflow({ workflow: 'fan', cwd, provider: 'anthropic', concurrency: tasks, requestsPerMinute: 100_000, runtime: { env }, ...(executor ? { executor } : {}) })));
  const ms = performance.now() - started;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (results.some((r) => r.status !== 'complete')) throw new Error(`a bench run ended ${results.map((r) => r.status).join(',')}`);
  return ms;
}

const scaling = [];
for (const workers of [1, 2, 4, 8]) {
  const queue = `bench-scale-${process.pid}-${workers}`;
  const children = await startWorkers(workers, queue);
  const executor = await queueExecutor({ redis, queue });
  const ms = await runs(8, 8, executor);
  await executor.close();
  await stopWorkers(children);
  scaling.push({ workers, wallMs: Math.round(ms) });
  console.log(`queue scaling: ${workers} worker(s) x concurrency 4: 8 runs x 8 tasks x 2 turns at 300 ms in ${Math.round(ms)} ms`);
}
const base = scaling[0].wallMs;
for (const row of scaling) {
  row.throughputVsOne = Number((base / row.wallMs).toFixed(2));
  row.ofLinear = Number((base / row.wallMs / row.workers).toFixed(2));
}

latencyMs = 0;
const TASKS = 200;
const inProcessMs = await runs(1, TASKS, undefined);
const queueName = `bench-overhead-${process.pid}`;
const children = await startWorkers(4, queueName);
const executor = await queueExecutor({ redis, queue: queueName });
const queueMs = await runs(1, TASKS, executor);
await executor.close();
await stopWorkers(children);
await api.close();

const overhead = {
  tasks: TASKS,
  inProcessMsPerTask: Number((inProcessMs / TASKS).toFixed(2)),
  queueMsPerTask: Number((queueMs / TASKS).toFixed(2)),
  queueOverheadMsPerTask: Number(((queueMs - inProcessMs) / TASKS).toFixed(2)),
};
const results = { when: new Date().toISOString(), scaling, overhead };
writeFileSync(path.join(root, 'bench', 'results-queue.json'), `${JSON.stringify(results, null, 2)}\n`);
console.table(scaling);
console.log(`queue overhead: ${overhead.queueOverheadMsPerTask} ms per task (${overhead.queueMsPerTask} on the queue, ${overhead.inProcessMsPerTask} in-process, ${TASKS} agent tasks, model answers at once)`);
