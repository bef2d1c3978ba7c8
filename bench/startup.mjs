// Start-up time of `orchestrate --help` against `node -e 0`, measured side by side in one run:
// the two commands alternate, each is warmed up, and the medians are compared.
// Target (issue 9): orchestrate --help takes at most 2.5x as long as node -e 0.
// Writes bench/results-startup.json and prints a table. Build first (npm run build).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'orchestrate.js');
const WARMUP = 3;
const RUNS = Number(process.env.STARTUP_RUNS ?? 25);
const TARGET_RATIO = 2.5;

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'orchestrate --help', args: [bin, '--help'] },
  { name: 'orchestrate integrate --help', args: [bin, 'integrate', '--help'] },
];

function once(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

for (let i = 0; i < WARMUP; i++) for (const c of cases) once(c.args);
const samples = cases.map(() => []);
for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => samples[j].push(once(c.args)));

const baseline = median(samples[0]);
const rows = cases.map((c, j) => ({ case: c.name, medianMs: +median(samples[j]).toFixed(2), minMs: +Math.min(...samples[j]).toFixed(2), ratio: +(median(samples[j]) / baseline).toFixed(2) }));
const helpRatio = rows[1].ratio;
const result = { runs: RUNS, node: process.version, targetRatio: TARGET_RATIO, pass: helpRatio <= TARGET_RATIO, cases: rows };
writeFileSync(path.join(root, 'bench', 'results-startup.json'), `${JSON.stringify(result, null, 2)}\n`);

console.log(`start-up, median of ${RUNS} alternating runs (node ${process.version})`);
console.log(`${'case'.padEnd(30)} ${'median ms'.padStart(10)} ${'min ms'.padStart(8)} ${'x node'.padStart(7)}`);
for (const r of rows) console.log(`${r.case.padEnd(30)} ${r.medianMs.toFixed(1).padStart(10)} ${r.minMs.toFixed(1).padStart(8)} ${r.ratio.toFixed(2).padStart(7)}`);
console.log(`orchestrate --help is ${helpRatio}x node -e 0 (target <= ${TARGET_RATIO}x): ${result.pass ? 'PASS' : 'FAIL'}`);
