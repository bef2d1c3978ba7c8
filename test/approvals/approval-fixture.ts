import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { RunEvent } from '../../src/schema/events.js';
import { BIN, offlineEnv, runFolders, tempRepo } from '../helpers/workspace.js';

/** A testing-engineer without Bash: the tests are written but not run, so a run takes well under a second. */
const NO_BASH_TESTER = `---
name: testing-engineer
description: Writes tests for integrations (no Bash here, so they are not run).
tools: Read, Write, Edit, Glob, Grep
---
Write the tests.
`;

/** A repository for the integrate workflow (with its approval after Research & Planning). */
export function approvalRepo(): string {
  return tempRepo({ 'README.md': '# demo\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
}

/** The environment of a run with nobody to approve automatically (the test setup sets auto). */
export function askingEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = offlineEnv({ NO_COLOR: '1', ...extra });
  delete env.ORCHESTRATE_APPROVE;
  delete env.CI;
  return env;
}

export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = askingEnv()) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function onlyRun(cwd: string): { runId: string; dir: string } {
  const [runId] = runFolders(cwd);
  if (!runId) throw new Error(`no run in ${cwd}`);
  return { runId, dir: path.join(cwd, 'pending-commits', runId) };
}

export function manifestOf(dir: string): { status: string; owner?: unknown; files: unknown[] } {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { status: string; owner?: unknown; files: unknown[] };
}

export function journalOf(dir: string): RunEvent[] {
  return readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((line) => RunEvent.parse(JSON.parse(line)));
}

export function reportOf(dir: string): { status: string; approvals?: Array<Record<string, unknown>>; error?: { code: string; message: string } } {
  return parse(readFileSync(path.join(dir, 'report.yaml'), 'utf8')) as { status: string };
}

/** The learnings of the integrations expertise file. */
export function learningsOf(cwd: string): Array<Record<string, unknown>> {
  const data = parse(readFileSync(path.join(cwd, 'expertise', 'integrations', 'expertise.yaml'), 'utf8')) as { learnings?: Array<Record<string, unknown>> };
  return data.learnings ?? [];
}

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'pty-driver.py');
export const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

export type PtyStep = { expect: string; send: string } | { expect: string; kill: number } | { expect: string; run: string[] };

/** Runs the CLI on a real pseudo-terminal (python3's pty module), typing answers as prompts appear. */
export function onTerminal(args: string[], cwd: string, steps: PtyStep[], env: NodeJS.ProcessEnv = askingEnv()): { output: string; exit: string } {
  const spec = { argv: [process.execPath, BIN, ...args], cwd, steps, timeout: 60 };
  const result = spawnSync('python3', [DRIVER, JSON.stringify(spec)], { env: { ...env, TERM: 'xterm-256color', COLUMNS: '120' }, encoding: 'utf8', timeout: 90_000 });
  const output = result.stdout ?? '';
  const exit = /\n(EXIT \d+|SIGNAL \d+|TIMEOUT.*)\n?$/.exec(output)?.[1] ?? `driver failed: ${result.stderr}`;
  return { output, exit };
}
