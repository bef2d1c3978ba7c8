import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { RunEvent } from '../../src/schema/events.js';
import { BIN, offlineEnv, REPO_ROOT, runFolders, tempRepo } from '../helpers/workspace.js';

/** A testing-engineer without Bash: the tests are written but not run, so a run takes well under a second. */
export const NO_BASH_TESTER = `---
name: testing-engineer
description: Writes tests for integrations (no Bash here, so they are not run).
tools: Read, Write, Edit, Glob, Grep
---
Write the tests.
`;

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a child process, asynchronously, so several can run at once. */
export function orchestrate(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `jobs` with at most `limit` at a time; results in the jobs' order. */
export async function pool<T>(limit: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/**
 * The built-in integrate workflow, unchanged: tests and review run side by side in phase 4.
 * Each task sees only what it and the tasks it needs staged (src/staging/staging-view.ts), so
 * the review's file list does not depend on how far the tests task has got, and two
 * uninterrupted runs are equal.
 */
export function deterministicIntegrate(): string {
  return readFileSync(path.join(REPO_ROOT, 'workflows', 'integrate.yaml'), 'utf8');
}

/**
 * A repository whose expertise already holds a twilio run's catalog entry and learnings (so a
 * second merge of the same learnings would show as an extra `seen`), with the no-Bash tester.
 * Made once; each scenario gets a copy from {@link copyWorkspace}; the caller removes it.
 */
export async function seededTemplate(): Promise<string> {
  const scratch = tempRepo({ 'README.md': '# demo\n', 'agents/testing-engineer.md': NO_BASH_TESTER, 'workflows/integrate.yaml': deterministicIntegrate() });
  const first = await orchestrate(['integrate', 'twilio', '--quiet'], scratch, offlineEnv());
  if (first.code !== 0) throw new Error(`seeding run failed: ${first.stderr}`);
  rmSync(path.join(scratch, 'pending-commits'), { recursive: true, force: true });
  // A copy of our own: the tempRepo helper removes its folders after each test.
  return copyWorkspace(scratch);
}

/** A private copy of the template (its git repository included), removed by the caller. */
export function copyWorkspace(template: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-durability-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

export function runDirOf(cwd: string): string {
  const [runId, ...more] = runFolders(cwd);
  if (!runId || more.length) throw new Error(`expected one run in ${cwd}, found ${[runId, ...more].join(', ')}`);
  return path.join(cwd, 'pending-commits', runId);
}

/** The whole lines of a run's journal, parsed (a line cut by the crash is left out). */
export function journalEvents(cwd: string): RunEvent[] {
  const text = readFileSync(path.join(runDirOf(cwd), 'journal.jsonl'), 'utf8');
  const lines = text.split('\n');
  lines.pop();
  return lines.map((line) => RunEvent.parse(JSON.parse(line)));
}

/** Tasks whose result is in the journal (not counting the `reused` replays of a resume). */
export function doneTasks(events: readonly RunEvent[]): Set<string> {
  return new Set(events.flatMap((e) => (e.type === 'task-end' && e.status === 'done' && !e.reused ? [e.task] : [])));
}

/** The events of the resumed session: everything after the `run-start` a resume writes. */
export function resumedSession(events: readonly RunEvent[]): RunEvent[] {
  const start = events.findIndex((e) => e.type === 'run-start' && e.resumed);
  return start < 0 ? [] : events.slice(start);
}

/** Everything a run leaves that must not depend on being interrupted, without times and ids. */
export interface RunSnapshot {
  staged: Record<string, string>;
  manifest: unknown;
  report: unknown;
  commitMessage: string;
  expertise: string;
  expertiseDir: string[];
  changeRecord: unknown;
}

/**
 * Reads a finished run: every file under the run's files/ and notes/ (hidden temp files
 * included) by sha256, the manifest, report, commit message, change record, and the expertise
 * file and folder. Run ids, times and durations are taken out; with `withoutUsage`, token
 * counts and cost too (over the fake server they depend on its prompt cache).
 */
export function snapshot(cwd: string, options: { withoutUsage?: boolean } = {}): RunSnapshot {
  const dir = runDirOf(cwd);
  const runId = path.basename(dir);
  const scrub = (text: string) => text.split(runId).join('<run>');
  const manifest = JSON.parse(scrub(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))) as Record<string, unknown>;
  for (const key of ['startedAt', 'endedAt', 'owner']) delete manifest[key];
  const report = parse(scrub(readFileSync(path.join(dir, 'report.yaml'), 'utf8'))) as Record<string, unknown> & { tasks: Array<Record<string, unknown>> };
  delete report.startedAt;
  delete report.durationMs;
  for (const task of report.tasks) delete task.durationMs;
  // When the phase was approved (auto here) differs from run to run, like the start.
  for (const approval of (report.approvals ?? []) as Array<Record<string, unknown>>) delete approval.at;
  if (options.withoutUsage) {
    delete manifest.usage;
    delete report.usage;
    for (const task of report.tasks) delete task.usage;
  }
  const changeRecord = JSON.parse(scrub(readFileSync(path.join(dir, 'expertise-changes.json'), 'utf8'))) as { domains: Array<Record<string, unknown>> };
  for (const domain of changeRecord.domains) delete domain.mergedAt;
  const expertiseDir = path.join(cwd, 'expertise', 'integrations');
  return {
    staged: { ...hashes(path.join(dir, 'files/node_modules'), 'files'), ...hashes(path.join(dir, 'notes'), 'notes') },
    manifest,
    report,
    commitMessage: scrub(readFileSync(path.join(dir, 'COMMIT_MSG'), 'utf8')),
    expertise: scrub(readFileSync(path.join(expertiseDir, 'expertise.yaml'), 'utf8')),
    expertiseDir: readdirSync(expertiseDir).sort(),
    changeRecord,
  };
}

function hashes(dir: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[`${prefix}/${path.relative(dir, file).split(path.sep).join('/')}`] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}
