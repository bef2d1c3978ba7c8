/**
 * One engine on one case, in its own process: warm up, repeat, print the median as JSON.
 * Usage: node bench/engine/worker.mjs <engine> <case>
 * No forced gc() between runs: a full collection flushes the JIT's work and made every engine's
 * next run many times slower, which measures V8, not the engine.
 */
import { performance } from 'node:perf_hooks';
import { CASES } from './cases.mjs';

const [engineName, caseName] = process.argv.slice(2);
const spec = CASES[caseName];
if (!spec) throw new Error(`unknown case ${caseName}`);
const engine = await import(`./${engineName}.mjs`);
const tasks = spec.tasks();
const run = engine.prepare(tasks, spec.concurrency);

// Repeat counts, with a time budget so a slow engine still finishes (at least one measured run).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 20_000);

const began = performance.now();
for (let i = 0; i < WARMUP && performance.now() - began < BUDGET_MS / 4; i++) await run();
const times = [];
while (times.length < REPEAT && (times.length === 0 || performance.now() - began < BUDGET_MS)) {
  const start = performance.now();
  await run();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const mid = times.length >> 1;
const medianMs = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
process.stdout.write(
  `${JSON.stringify({
    case: caseName,
    engine: engineName,
    medianMs: Number(medianMs.toFixed(3)),
    perTaskUs: spec.perTask ? Number(((medianMs * 1000) / tasks.length).toFixed(2)) : null,
    boundMs: spec.boundMs,
    peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    runs: times.length,
  })}\n`,
);
