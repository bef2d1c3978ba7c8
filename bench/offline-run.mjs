// Wall time of `orchestrate integrate twilio` offline, as a user runs it (a child process in a
// fresh git repository), with and without the step that runs the generated tests, side by side
// in one run (the two alternate). "Without" uses a workspace testing-engineer that has no Bash,
// so the offline model writes the tests but does not run them: the same thing a user can do.
// Target (issue 5): under 1.5 s without the test step. Writes bench/results-offline-run.json.
// Build first (npm run build).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'orchestrate.js');
const RUNS = Number(process.env.OFFLINE_RUNS ?? 5);
const TARGET_MS = 1500;
const NO_BASH_AGENT = `---
name: testing-engineer
description: Writes tests for integrations (no Bash, so the tests are not run).
tools: Read, Write, Edit, Glob, Grep
---
Write the tests.
`;

const env = { ...process.env, NO_COLOR: '1' };
delete env.ANTHROPIC_API_KEY;
delete env.ANTHROPIC_AUTH_TOKEN;

function repo(withoutTestStep) {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-bench-'));
  writeFileSync(path.join(dir, 'README.md'), '# bench\n');
  if (withoutTestStep) {
    mkdirSync(path.join(dir, 'agents'));
    writeFileSync(path.join(dir, 'agents', 'testing-engineer.md'), NO_BASH_AGENT);
  }
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=b@example.com', '-c', 'user.name=bench', 'commit', '-q', '-m', 'init');
  return dir;
}

function once(withoutTestStep) {
  const dir = repo(withoutTestStep);
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, 'integrate', 'twilio'], { cwd: dir, env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`integrate twilio exited ${result.status}: ${result.stderr}`);
    const ran = /Testing Results:[\s\S]*?(\d+) passed/.exec(result.stdout);
    return { ms, testsReported: ran ? Number(ran[1]) : 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

once(true);
once(false);
const without = [];
const withTests = [];
let passed = 0;
for (let i = 0; i < RUNS; i++) {
  without.push(once(true).ms);
  const run = once(false);
  withTests.push(run.ms);
  passed = run.testsReported;
}
const rows = [
  { case: 'integrate twilio, without the test step', medianMs: +median(without).toFixed(1), minMs: +Math.min(...without).toFixed(1), maxMs: +Math.max(...without).toFixed(1) },
  { case: 'integrate twilio, with the test step', medianMs: +median(withTests).toFixed(1), minMs: +Math.min(...withTests).toFixed(1), maxMs: +Math.max(...withTests).toFixed(1) },
];
const result = {
  runs: RUNS,
  node: process.version,
  targetMsWithoutTests: TARGET_MS,
  pass: rows[0].medianMs < TARGET_MS,
  generatedTestsPassedInLastRun: passed,
  testStepShareMs: +(rows[1].medianMs - rows[0].medianMs).toFixed(1),
  cases: rows,
};
writeFileSync(path.join(root, 'bench', 'results-offline-run.json'), `${JSON.stringify(result, null, 2)}\n`);

console.log(`orchestrate integrate twilio (offline, child process, fresh git repo), median of ${RUNS} alternating runs`);
console.log(`${'case'.padEnd(42)} ${'median ms'.padStart(10)} ${'min ms'.padStart(8)} ${'max ms'.padStart(8)}`);
for (const r of rows) console.log(`${r.case.padEnd(42)} ${r.medianMs.toFixed(1).padStart(10)} ${r.minMs.toFixed(1).padStart(8)} ${r.maxMs.toFixed(1).padStart(8)}`);
console.log(`the test step (strict typecheck + vitest of the generated tests) adds ${result.testStepShareMs} ms; generated tests passed: ${passed}`);
console.log(`without the test step: ${rows[0].medianMs} ms (target < ${TARGET_MS} ms): ${result.pass ? 'PASS' : 'FAIL'}`);
