#!/usr/bin/env node
/**
 * `npm run bench`: the engine benchmark, side by side in one run, then every other
 * bench/*.mjs file as a child process.
 *
 * Engines (bench/engine/<module>.mjs), each case in its own process (bench/engine/worker.mjs):
 * warmed up, repeated, median kept. Done in BENCH_PROCESSES rounds (default 3; a slow engine's
 * large cases once), the engines interleaved within each round; a case reports the median of its
 * processes' medians and the highest peak RSS any of them reached.
 * - `run-workflow`: runWorkflow from the package entry, as a user calls it (defineWorkflow of
 *   function tasks, journal, log, report and manifest on disk in a temporary folder), with the
 *   durable default (`batched`), then one row per other durability mode (`sync`, `exit`) and
 *   an ephemeral run (`persist: false`, nothing written);
 * - `executePlan`: this engine's scheduler alone, events kept in memory;
 * - `floor`: a minimal hand-written dependency scheduler; `timers`: the bound cases' sleeps with
 *   no scheduler at all (what the machine's timers alone cost); `timers + flush`: those sleeps,
 *   then one journal-sized write and fdatasync beside one folder fsync on the same disk (the
 *   least a durable run's end pays, the baseline its bound cases are held to);
 * - `mastra` (@mastra/core 0.24.9) and `langgraph` (@langchain/langgraph): the same graphs,
 *   through their package entries.
 * Then cold start: `node -e 0` against importing each package's entry, and against importing it
 * and running a one-task code workflow, alternated, median of BENCH_COLD_RUNS (default 15).
 * Results: bench/results.json with the cases, the cold starts, the disk the temporary folder is
 * on (df and mount), the load average at the start and end, and the node version; a table on
 * stdout.
 *
 * Environment: BENCH_WARMUP (default 30), BENCH_REPEAT (default 30), BENCH_BUDGET_MS per process
 * (default 20000), BENCH_SLOW_10K=1 to include LangGraph and Mastra at fan-out and chain 10,000
 * (both are quadratic there: one run takes many minutes), BENCH_ONLY=<case,...> (only those cases,
 * and not the other bench files; the cold starts only if `cold` is one of them: BENCH_ONLY=cold runs
 * them alone), BENCH_ENGINES=<engine,...> (only those rows, by name, such as
 * `run-workflow,run-workflow ephemeral,timers + flush`), BENCH_DIR (the temporary folder's parent).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from './engine/cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, '..', 'dist', 'engine', 'scheduler.js'))) {
  console.error('bench: dist/ is missing; run "npm run build" first');
  process.exit(2);
}

/** Each row: its name, the adapter module, and the environment it adds. */
const ENGINES = [
  { name: 'run-workflow', module: 'run-workflow', env: {} },
  { name: 'run-workflow sync', module: 'run-workflow', env: { BENCH_DURABILITY: 'sync' } },
  { name: 'run-workflow exit', module: 'run-workflow', env: { BENCH_DURABILITY: 'exit' } },
  { name: 'run-workflow ephemeral', module: 'run-workflow', env: { BENCH_PERSIST: '0' } },
  { name: 'executePlan', module: 'orchestrate', env: {} },
  { name: 'floor', module: 'floor', env: {} },
  { name: 'timers', module: 'timers', env: {} },
  { name: 'timers + flush', module: 'timers-flush', env: {} },
  { name: 'mastra', module: 'mastra', env: {} },
  { name: 'langgraph', module: 'langgraph', env: {} },
];
const only = process.env.BENCH_ONLY?.split(',');
const engines = process.env.BENCH_ENGINES?.split(',');
const benchDir = process.env.BENCH_DIR ?? tmpdir();
const env = { BENCH_WARMUP: '30', BENCH_REPEAT: '30', ...process.env, BENCH_DIR: benchDir };
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 3);
const SLOW_10K = process.env.BENCH_SLOW_10K === '1';
const results = [];
const skipped = [];
const loadAtStart = loadavg();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** LangGraph and Mastra take seconds per run from a thousand tasks on: one process, few runs. */
const isSlow = (engine, caseName) => (engine.module === 'langgraph' || engine.module === 'mastra') && /^(fan-out|chain)-\d{4,}$/.test(caseName);
const isHuge = (engine, caseName) => (engine.module === 'langgraph' || engine.module === 'mastra') && caseName.endsWith('-10000');

for (const caseName of Object.keys(CASES)) {
  if (only && !only.includes(caseName)) continue;
  const rows = new Map(ENGINES.map((engine) => [engine.name, []]));
  // Rounds of one process per engine, engines interleaved, so a noisy spell of the machine
  // falls on every engine alike rather than on whichever ran during it.
  for (let round = 0; round < PROCESSES; round++) {
    for (const engine of ENGINES) {
      if (engines && !engines.includes(engine.name)) continue;
      if (engine.module.startsWith('timers') && !CASES[caseName].boundMs) continue;
      if (isHuge(engine, caseName) && !SLOW_10K) {
        if (round === 0) skipped.push(`${engine.name} ${caseName} (quadratic: set BENCH_SLOW_10K=1; one run takes many minutes)`);
        continue;
      }
      const slow = isSlow(engine, caseName);
      if (slow && round > 0) continue;
      const child = spawnSync(process.execPath, [path.join(here, 'engine', 'worker.mjs'), engine.module, caseName], {
        encoding: 'utf8',
        env: { ...env, ...engine.env, ...(slow ? { BENCH_WARMUP: '1', BENCH_REPEAT: '3' } : {}) },
        timeout: 30 * 60_000,
      });
      if (child.status !== 0) {
        console.error(`bench: ${engine.name} ${caseName} failed: ${(child.stderr || child.error?.message || '').trim().split('\n')[0]}`);
        process.exitCode = 1;
        continue;
      }
      const { runs: _runs, engine: _module, ...row } = JSON.parse(child.stdout.trim().split('\n').at(-1));
      rows.get(engine.name).push(row);
      process.stderr.write(`. ${engine.name} ${caseName}: ${row.medianMs} ms, ${row.peakRssMb} MB\n`);
    }
  }
  // The median of the processes' medians; the highest peak RSS any of them reached.
  for (const [engine, list] of rows) {
    if (list.length === 0) continue;
    const medianMs = Number(median(list.map((r) => r.medianMs)).toFixed(3));
    const perTask = list[0].perTaskUs !== null;
    const tasks = CASES[caseName].tasks().length;
    results.push({
      case: caseName,
      engine,
      medianMs,
      perTaskUs: perTask ? Number(((medianMs * 1000) / tasks).toFixed(2)) : null,
      boundMs: list[0].boundMs,
      peakRssMb: Math.max(...list.map((r) => r.peakRssMb)),
      processes: list.length,
    });
  }
}

// Cold start: node -e 0 against each package's entry imported, then imported and one code
// workflow run, alternated so a noisy spell falls on all of them alike.
const COLD = [
  { name: 'node -e 0', args: ['-e', '0'] },
  ...['orchestrate', 'mastra', 'langgraph'].flatMap((engine) => [
    { name: `${engine} import`, args: [path.join(here, 'engine', 'cold', `${engine}.mjs`)] },
    { name: `${engine} import + one run`, args: [path.join(here, 'engine', 'cold', `${engine}.mjs`), 'run'] },
  ]),
];
const cold = [];
if (!only || only.includes('cold')) {
  const runs = Number(process.env.BENCH_COLD_RUNS ?? 15);
  const samples = COLD.map(() => []);
  for (let i = 0; i < runs + 2; i++) {
    COLD.forEach((c, j) => {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, c.args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_DIR: benchDir } });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (child.status !== 0) throw new Error(`cold start ${c.name} failed: ${child.stderr}`);
      if (i >= 2) samples[j].push(ms); // two warm-up rounds: the files are in the page cache
    });
  }
  const base = median(samples[0]);
  COLD.forEach((c, j) => cold.push({ case: c.name, medianMs: Number(median(samples[j]).toFixed(1)), overNodeMs: Number((median(samples[j]) - base).toFixed(1)), runs: runs }));
}

/** The disk the runs wrote to: df and the mount of the temporary folder. */
function disk() {
  const probe = mkdtempSync(path.join(benchDir, 'orchestrate-bench-disk-'));
  try {
    const df = execFileSync('df', ['-P', '-T', probe], { encoding: 'utf8' }).trim().split('\n').at(-1).split(/\s+/);
    const mount = (() => {
      try {
        return execFileSync('findmnt', ['-n', '-o', 'SOURCE,FSTYPE,OPTIONS', '-T', probe], { encoding: 'utf8' }).trim();
      } catch {
        return undefined;
      }
    })();
    return { dir: benchDir, device: df[0], type: df[1], mountedOn: df[6], mount };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const machine = { node: process.version, disk: disk(), loadAtStart: loadAtStart.map((l) => Number(l.toFixed(2))), loadAtEnd: loadavg().map((l) => Number(l.toFixed(2))) };
if (!only) writeFileSync(path.join(here, 'results.json'), `${JSON.stringify({ machine, cases: results, cold }, null, 2)}\n`);
else writeFileSync(path.join(here, 'results-only.json'), `${JSON.stringify({ machine, cases: results, cold }, null, 2)}\n`);

// The table: one row per case, engines side by side; per-task cases in microseconds per task.
const cell = (row) => {
  if (!row) return '-';
  const main = row.perTaskUs !== null ? `${row.perTaskUs} us/task` : `${row.medianMs.toFixed(1)} ms`;
  const bound = row.boundMs ? ` (${(((row.medianMs - row.boundMs) / row.boundMs) * 100).toFixed(1)}% over)` : '';
  return `${main}${bound}, ${row.peakRssMb} MB`;
};
const names = ENGINES.map((e) => e.name);
const lines = [['case', ...names]];
for (const caseName of Object.keys(CASES)) {
  if (only && !only.includes(caseName)) continue;
  lines.push([caseName, ...names.map((engine) => cell(results.find((r) => r.case === caseName && r.engine === engine)))]);
}
// Wide: one engine per line under each case reads better on a terminal.
for (const line of lines.slice(1)) {
  console.log(line[0]);
  names.forEach((engine, i) => line[i + 1] !== '-' && console.log(`  ${engine.padEnd(24)} ${line[i + 1]}`));
}
for (const row of cold) console.log(`cold ${row.case.padEnd(30)} ${row.medianMs} ms (${row.overNodeMs} over node -e 0)`);
for (const note of skipped) console.log(`skipped: ${note}`);
console.log(`disk: ${JSON.stringify(machine.disk)}; load ${machine.loadAtStart.join(' ')} -> ${machine.loadAtEnd.join(' ')}`);
console.log(`written: bench/${only ? 'results-only.json' : 'results.json'}`);

// Every other benchmark of the project, each in its own process (not when BENCH_ONLY picks cases).
for (const file of only || process.env.BENCH_ENGINE_ONLY === '1' ? [] : readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs').sort()) {
  console.log(`\n== bench/${file}`);
  const child = spawnSync(process.execPath, [path.join(here, file)], { stdio: 'inherit', env: process.env });
  if (child.status !== 0) process.exitCode = 1;
}
