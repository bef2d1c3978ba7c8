// Cost of the safe expertise write, measured side by side in one run (no target in issue 6;
// the figures show what the lock, re-read, validation and fsync cost).
// 1. One merge into a file at the archive bound (100 learnings): the full protocol (lock,
//    re-read, merge, validate, temp file, fsync, rename) against the bare merge (parse, merge,
//    print, plain writeFile), alternating.
// 2. 20 writer processes merging at once against 20 processes that only load the module:
//    what serialising the merges behind the lock adds to the wall time.
// Writes bench/results-expertise.json and prints a table. Build first (npm run build).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { mergeExpertise } = await import(path.join(root, 'dist/expertise/store.js'));
const { parseExpertise } = await import(path.join(root, 'dist/expertise/load.js'));
const { applyExpertiseUpdate, YAML_OUTPUT } = await import(path.join(root, 'dist/expertise/merge.js'));
const RUNS = Number(process.env.EXPERTISE_RUNS ?? 30);
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-bench-expertise-'));

const learnings = Array.from({ length: 99 }, (_, n) => `  - date: 2025-01-01\n    insight: "Learning number ${n} about a service and its webhooks"\n    service: s${n % 7}\n    seen: ${1 + (n % 4)}\n`).join('');
const text = `# bench\ndomain: integrations\nversion: 1.1\nintegrations_catalog: {}\nlearnings:\n${learnings}`;
const update = (n) => ({ runId: `r${n}`, date: '2026-01-02', service: 'twilio', catalog: { category: 'c', entry: { name: 'twilio', env_vars: [`V${n}`] } }, learnings: [{ insight: `bench ${n}`, files_affected: [], agent: 'a', task: 't' }] });

const file = path.join(dir, 'expertise/integrations/expertise.yaml');
mkdirSync(path.dirname(file), { recursive: true });
const time = async (fn) => { const t = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - t) / 1e6; };
const bare = [], safe = [];
for (let i = 0; i < RUNS; i++) {
  writeFileSync(file, text);
  bare.push(await time(async () => {
    const loaded = parseExpertise(text, file);
    applyExpertiseUpdate(loaded.document, loaded.data, update(i));
    await writeFile(file, loaded.document.toString(YAML_OUTPUT));
  }));
  writeFileSync(file, text);
  safe.push(await time(() => mergeExpertise(dir, root, 'integrations', update(i), { archive: { maxLearnings: 1000, maxBytes: 1 << 20 } })));
}

const writer = path.join(root, 'test/expertise/fixtures/writer.mjs');
const wall = (args) => time(() => Promise.all(Array.from({ length: 20 }, (_, n) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, args(n), { stdio: 'ignore' });
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
}))));
const loadOnly = [], merging = [];
for (let i = 0; i < 3; i++) {
  loadOnly.push(await wall(() => ['-e', `import(${JSON.stringify(path.join(root, 'dist/expertise/store.js'))})`]));
  const ws = path.join(dir, `ws${i}`);
  merging.push(await wall((n) => [writer, ws, root, String(n)]));
}
rmSync(dir, { recursive: true, force: true });

const rows = [
  { case: 'bare merge (parse, merge, writeFile)', medianMs: median(bare) },
  { case: 'safe merge (lock..fsync, rename)', medianMs: median(safe), ratio: median(safe) / median(bare) },
  { case: '20 processes loading the module', medianMs: median(loadOnly) },
  { case: '20 processes merging at once', medianMs: median(merging), ratio: median(merging) / median(loadOnly) },
];
writeFileSync(path.join(root, 'bench', 'results-expertise.json'), `${JSON.stringify({ runs: RUNS, node: process.version, cases: rows }, null, 2)}\n`);
console.log(`expertise writes, medians (${RUNS} alternating merges into a 100-learning file; 3 rounds of 20 processes)`);
for (const r of rows) console.log(`${r.case.padEnd(40)} ${r.medianMs.toFixed(1).padStart(9)} ms${r.ratio ? `  ${r.ratio.toFixed(2)}x the line above` : ''}`);
