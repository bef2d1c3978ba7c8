#!/usr/bin/env node
/**
 * `npm run bench`: the engine benchmark, side by side in one run, then every other
 * bench/*.mjs file as a child process.
 *
 * Each engine (this engine's scheduler from dist/, the hand-written floor, @langchain/langgraph,
 * and for the cases with a bound, their timers alone) runs each case in its own process
 * (bench/engine/worker.mjs): warmed up, repeated, median kept. That is done in BENCH_PROCESSES
 * rounds (default 3; LangGraph's fan-outs once), the engines interleaved within each round; a
 * case reports the median of its processes' medians and the highest peak RSS any of them reached.
 * Events and the in-memory journal stay on for this engine. Results: bench/results.json as
 * { cases: [ { case, engine, medianMs, perTaskUs, boundMs, peakRssMb } ] } and a table on stdout.
 *
 * Environment: BENCH_WARMUP (default 30), BENCH_REPEAT (default 30), BENCH_BUDGET_MS per process
 * (default 20000), BENCH_LANGGRAPH_10K=1 to include LangGraph at fan-out 10,000 (one run took
 * about 8 minutes on the 2-core development machine, so it is off by default), BENCH_ONLY=<case,...>
 * (only those cases, and not the other bench files).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from './engine/cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, '..', 'dist', 'engine', 'scheduler.js'))) {
  console.error('bench: dist/ is missing; run "npm run build" first');
  process.exit(2);
}

// `timers`: the cases with a bound slept with no scheduler at all, what the machine's timers
// alone cost (bench/engine/timers.mjs); an engine's own overhead is what it adds to that.
// `run-workflow`: the same graphs through runWorkflow from the package entry, as a user calls it
// (defineWorkflow of function tasks, journal, log, report and manifest on disk; BENCH_DURABILITY
// picks the journal's mode), beside `orchestrate`, the scheduler alone.
const ENGINES = ['orchestrate', 'run-workflow', 'floor', 'timers', 'langgraph'];
const only = process.env.BENCH_ONLY?.split(',');
const env = { BENCH_WARMUP: '30', BENCH_REPEAT: '30', ...process.env };
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 3);
const results = [];
const skipped = [];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

for (const caseName of Object.keys(CASES)) {
  if (only && !only.includes(caseName)) continue;
  const rows = new Map(ENGINES.map((engine) => [engine, []]));
  // Rounds of one process per engine, engines interleaved, so a noisy spell of the machine
  // falls on every engine alike rather than on whichever ran during it.
  for (let round = 0; round < PROCESSES; round++) {
    for (const engine of ENGINES) {
      if (engine === 'timers' && !CASES[caseName].boundMs) continue;
      if (engine === 'langgraph' && caseName === 'fan-out-10000' && process.env.BENCH_LANGGRAPH_10K !== '1') {
        if (round === 0) skipped.push(`${engine} ${caseName} (set BENCH_LANGGRAPH_10K=1; one run takes minutes)`);
        continue;
      }
      const slow = engine === 'langgraph' && caseName.startsWith('fan-out');
      if (slow && round > 0) continue;
      const child = spawnSync(process.execPath, [path.join(here, 'engine', 'worker.mjs'), engine, caseName], {
        encoding: 'utf8',
        env: slow ? { ...env, BENCH_WARMUP: '1', BENCH_REPEAT: '3' } : env,
        timeout: 30 * 60_000,
      });
      if (child.status !== 0) {
        console.error(`bench: ${engine} ${caseName} failed: ${(child.stderr || child.error?.message || '').trim().split('\n')[0]}`);
        process.exitCode = 1;
        continue;
      }
      const { runs: _runs, ...row } = JSON.parse(child.stdout.trim().split('\n').at(-1));
      rows.get(engine).push(row);
      process.stderr.write(`. ${engine} ${caseName}: ${row.medianMs} ms, ${row.peakRssMb} MB\n`);
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
    });
  }
}

writeFileSync(path.join(here, 'results.json'), `${JSON.stringify({ cases: results }, null, 2)}\n`);

// The table: one row per case, engines side by side; per-task cases in microseconds per task.
const cell = (row) => {
  if (!row) return '-';
  const main = row.perTaskUs !== null ? `${row.perTaskUs} us/task` : `${row.medianMs.toFixed(1)} ms`;
  const bound = row.boundMs ? ` (${(((row.medianMs - row.boundMs) / row.boundMs) * 100).toFixed(1)}% over ${row.boundMs})` : '';
  return `${main}${bound}, ${row.peakRssMb} MB`;
};
const lines = [['case', ...ENGINES]];
for (const caseName of Object.keys(CASES)) {
  if (only && !only.includes(caseName)) continue;
  lines.push([caseName, ...ENGINES.map((engine) => cell(results.find((r) => r.case === caseName && r.engine === engine)))]);
}
const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
for (const line of lines) console.log(line.map((text, c) => text.padEnd(widths[c])).join('  ').trimEnd());
for (const note of skipped) console.log(`skipped: ${note}`);
console.log('written: bench/results.json');

// Every other benchmark of the project, each in its own process (not when BENCH_ONLY picks cases).
for (const file of only ? [] : readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs').sort()) {
  console.log(`\n== bench/${file}`);
  const child = spawnSync(process.execPath, [path.join(here, file)], { stdio: 'inherit', env: process.env });
  if (child.status !== 0) process.exitCode = 1;
}
