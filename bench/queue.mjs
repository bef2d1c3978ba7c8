// The queue executor's scaling and overhead, side by side in one run (issue 19). Needs Redis
// (ORCHESTRATE_TEST_REDIS_URL, default redis://127.0.0.1:6379) and a build (npm run build).
//
// Scaling: eight runs at once of a workflow of eight agent tasks (two model turns each) over the
// fake Messages API answering every request after a fixed 300 ms, on 1, 2, 4 and 8 worker
// processes of concurrency 4. The workflow is a fan-out of agent tasks rather than `integrate`
// (whose offline roles do not speak over HTTP, and whose Claude roles need a model that writes a
// real integration): like integrate's tasks, they are bound by the model's latency, not the CPU.
// The workers are started, and warmed with one run each configuration, before the clock starts:
// only the eight runs are timed. Beside the wall time, the CPU each party spent while the clock
// ran (coordinator, workers, fake API, Redis), and the ideal time (the model's latency alone at
// that many task slots), so the report says what limits a figure: CPU (the 2 cores are full) or
// the work itself (fewer tasks than slots).
// Overhead: the engine's no-op fan-out as agent tasks (one model turn that finishes at once),
// in-process and on the queue (one warmed worker of the same concurrency): the time per task the
// queue adds. Writes bench/results-queue.json. BENCH_QUEUE_WORKERS=1,4 picks the configurations.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'orchestrate.js');
const redis = process.env.ORCHESTRATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { runWorkflow } = await import(path.join(root, 'dist', 'index.js'));
const { queueExecutor, checkRedis, redisTarget, removeQueue } = await import(path.join(root, 'dist', 'executors', 'queue', 'index.js'));

try {
  await checkRedis(redisTarget(redis), 'bench-probe');
  await removeQueue(redis, 'bench-probe');
} catch (error) {
  console.log(`queue bench skipped: ${error.message}`);
  process.exit(0);
}

const RUNS = 8;
const TASKS = 8;
const TURNS = 2;
const LATENCY_MS = 300;
const PER_WORKER = 4;
const NOOP_TASKS = Number(process.env.BENCH_QUEUE_NOOP_TASKS ?? 200);
const CONFIGS = (process.env.BENCH_QUEUE_WORKERS ?? '1,2,4,8').split(',').map(Number);

const agent = (name, body) => `---\nname: ${name}\ndescription: bench agent\ntools: Read, Write\nmodel: haiku\nmaxTurns: 4\n---\n${body}\n`;
const workflow = (name, agentName, tasks) =>
  `name: ${name}\ndescription: a fan-out of agent tasks\nphases:\n  - id: all\n    name: All\n    tasks:\n${Array.from({ length: tasks }, (_, i) => `      - { id: t${i}, agent: ${agentName}, prompt: Task ${i}. }`).join('\n')}\n`;

function repo(name, agentName, tasks) {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-bench-queue-'));
  mkdirSync(path.join(dir, 'agents'));
  mkdirSync(path.join(dir, 'workflows'));
  writeFileSync(path.join(dir, 'agents', `${agentName}.md`), agent(agentName, 'Do the task.'));
  writeFileSync(path.join(dir, 'workflows', `${name}.yaml`), workflow(name, agentName, tasks));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--allow-empty', '-m', 'base'], { cwd: dir });
  return dir;
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
function redisCpu() {
  const info = execFileSync('redis-cli', ['-u', redis, 'info', 'cpu'], { encoding: 'utf8' });
  const read = (key) => Number(new RegExp(`${key}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
}
const selfCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function startChild(args, env, ready) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before it was ready: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
  });
}
const stop = (children) => Promise.all(children.map((child) => new Promise((resolve) => {
  if (child.exitCode !== null) return resolve();
  child.removeAllListeners('exit');
  child.on('exit', resolve);
  child.kill('SIGTERM');
})));

async function startApi(mode, latency) {
  const { child, match } = await startChild([path.join(root, 'bench', 'queue-fake-api.mjs'), mode, String(latency)], {}, /^(http:\S+)\n/m);
  return { child, url: match[1], env: { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: match[1] } };
}

async function startWorkers(n, queue, env, concurrency) {
  const started = await Promise.all(
    Array.from({ length: n }, () => startChild([bin, 'worker', '--redis', redis, '--queue', queue, '--concurrency', String(concurrency)], env, /taking tasks/)),
  );
  return started.map((s) => s.child);
}

/** `count` runs at once of the workflow, each in its own repository; the time of the runs alone. */
async function runs(count, name, agentName, tasks, env, executor) {
  const dirs = Array.from({ length: count }, () => repo(name, agentName, tasks));
  const started = performance.now();
  const results = await Promise.all(dirs.map((cwd) => runWorkflow({ workflow: name, cwd, provider: 'anthropic', concurrency: tasks, requestsPerMinute: 1_000_000, runtime: { env }, ...(executor ? { executor } : {}) })));
  const ms = performance.now() - started;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  if (results.some((r) => r.status !== 'complete')) throw new Error(`a bench run ended ${results.map((r) => r.status).join(',')}`);
  return ms;
}

const loadBefore = loadavg()[0];
const round = (n, d = 2) => Number(n.toFixed(d));
const scaling = [];
const scaleApi = await startApi('scale', LATENCY_MS);
for (const workers of CONFIGS) {
  const queue = `bench-scale-${process.pid}-${workers}`;
  const children = await startWorkers(workers, queue, scaleApi.env, PER_WORKER);
  const executor = await queueExecutor({ redis, queue });
  try {
    // Warm-up: every worker loads the agent loop and the SDK, and opens its connections, before the clock.
    await runs(1, 'fan', 'builder', workers * PER_WORKER, scaleApi.env, executor);
    const before = { self: selfCpu(), workers: children.map((c) => cpuOf(c.pid)), api: cpuOf(scaleApi.child.pid), redis: redisCpu() };
    const ms = await runs(RUNS, 'fan', 'builder', TASKS, scaleApi.env, executor);
    const cpu = {
      coordinator: round(selfCpu() - before.self),
      workers: round(children.reduce((sum, c, i) => sum + cpuOf(c.pid) - before.workers[i], 0)),
      api: round(cpuOf(scaleApi.child.pid) - before.api),
      redis: round(redisCpu() - before.redis),
    };
    const cpuTotal = cpu.coordinator + cpu.workers + cpu.api + cpu.redis;
    // The model's latency alone: every task's turns, at as many task slots as there are (never more than the tasks).
    const slots = Math.min(workers * PER_WORKER, RUNS * TASKS);
    const idealMs = Math.ceil((RUNS * TASKS) / slots) * TURNS * LATENCY_MS;
    scaling.push({ workers, wallMs: Math.round(ms), idealMs, cpuSeconds: cpu, coresBusy: round(cpuTotal / (ms / 1000)) });
    console.log(`queue scaling: ${workers} worker(s) x ${PER_WORKER}: ${RUNS} runs x ${TASKS} tasks x ${TURNS} turns at ${LATENCY_MS} ms in ${Math.round(ms)} ms (ideal ${idealMs}); CPU s ${JSON.stringify(cpu)}`);
  } finally {
    await executor.close();
    await stop(children);
    await removeQueue(redis, queue);
  }
}
await stop([scaleApi.child]);
const base = scaling[0];
for (const row of scaling) {
  row.throughputVsOne = round(base.wallMs / row.wallMs);
  row.ofLinear = round((base.wallMs / row.wallMs) * (base.workers / row.workers));
  // What bounds the figure: the CPU when the processes kept most of the machine's cores busy.
  row.limitedBy = row.coresBusy >= 0.75 * cpus().length ? `CPU (${row.coresBusy} of ${cpus().length} cores busy)` : row.idealMs * 1.25 >= row.wallMs ? 'model latency (near the ideal)' : 'per-task latency of the queue and coordinator';
}

// Overhead: the no-op fan-out, in-process then on one warmed worker, at the same concurrency.
const noopApi = await startApi('noop', 0);
const overheadQueue = `bench-overhead-${process.pid}`;
const NOOP_CONCURRENCY = 8;
const noopRun = (executor) => {
  const cwd = repo('noop', 'noop', NOOP_TASKS);
  const started = performance.now();
  return runWorkflow({ workflow: 'noop', cwd, provider: 'anthropic', concurrency: NOOP_CONCURRENCY, requestsPerMinute: 1_000_000, runtime: { env: noopApi.env }, ...(executor ? { executor } : {}) }).then((result) => {
    rmSync(cwd, { recursive: true, force: true });
    if (result.status !== 'complete') throw new Error(`the no-op run ended ${result.status}`);
    return performance.now() - started;
  });
};
await noopRun(undefined); // warm-up
const inProcessMs = await noopRun(undefined);
const [worker] = await startWorkers(1, overheadQueue, noopApi.env, NOOP_CONCURRENCY);
const executor = await queueExecutor({ redis, queue: overheadQueue });
let queueMs;
try {
  await noopRun(executor); // warm-up
  queueMs = await noopRun(executor);
} finally {
  await executor.close();
  await stop([worker, noopApi.child]);
  await removeQueue(redis, overheadQueue);
}
const overhead = {
  tasks: NOOP_TASKS,
  concurrency: NOOP_CONCURRENCY,
  inProcessMsPerTask: round(inProcessMs / NOOP_TASKS),
  queueMsPerTask: round(queueMs / NOOP_TASKS),
  queueOverheadMsPerTask: round((queueMs - inProcessMs) / NOOP_TASKS),
};
const results = { when: new Date().toISOString(), cores: cpus().length, loadAverage: { before: round(loadBefore), after: round(loadavg()[0]) }, scaling, overhead };
if (process.env.BENCH_QUEUE_NO_WRITE !== '1') writeFileSync(path.join(root, 'bench', 'results-queue.json'), `${JSON.stringify(results, null, 2)}\n`);
console.table(scaling.map(({ cpuSeconds, ...row }) => ({ ...row, cpu: Object.values(cpuSeconds).join('/') })));
console.log(`queue overhead: ${overhead.queueOverheadMsPerTask} ms per task (${overhead.queueMsPerTask} on the queue, ${overhead.inProcessMsPerTask} in-process; ${NOOP_TASKS} agent tasks at concurrency ${NOOP_CONCURRENCY}, model answers at once)`);
console.log(`load average ${results.loadAverage.before} before, ${results.loadAverage.after} after, on ${cpus().length} cores`);
