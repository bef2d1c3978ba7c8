import { spawn, type ChildProcess } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentBlock } from '../../src/providers/model.js';
import { modelResponder, ScriptedModel } from '../../src/testing/index.js';
import { fakeServer } from '../helpers/loop-harness.js';
import { BIN, offlineEnv, runFolders, tempRepo } from '../helpers/workspace.js';

const workflow = (timeout?: string) => `name: hunt
description: one agent whose search is as slow as it can make it
phases:
  - id: work
    name: Work
    tasks:
      - id: hunt
        agent: hunter
        prompt: Find the thing.
${timeout ? `        timeout: ${timeout}\n` : ''}`;
const AGENT = '---\nname: hunter\ndescription: searches\ntools: Read, Glob, Grep\nmodel: haiku\nmaxTurns: 8\n---\n\nYou search.\n';

/** Files the search must read: one 240 KB file of long lines of `a`, hard-linked this many times. */
const LINKS = 3000;

/**
 * A tree the search is genuinely busy in: each file is 60 lines of 4,000 `a` and a `!`, the
 * input on which `(a+)+$` backtracks without end in a backtracking engine. In RE2 each line is
 * linear, but the tree is large enough that the whole search takes many seconds.
 */
function bigTree(cwd: string): void {
  const dir = path.join(cwd, 'haystack');
  mkdirSync(dir);
  const seed = path.join(dir, 'seed.txt');
  writeFileSync(seed, `${'a'.repeat(4000)}!\n`.repeat(60));
  for (let i = 0; i < LINKS; i++) linkSync(seed, path.join(dir, `hay-${i}.txt`));
}

/**
 * One 250 KB line of `a` and `b` (pseudo-random, the same every time): with `[ab]*a[ab]{20}c`,
 * RE2's DFA needs a state per last-21-letters and keeps flushing its cache, so this one line takes
 * re2-wasm tens of seconds, all inside one call.
 */
function oneHardLine(cwd: string): void {
  mkdirSync(path.join(cwd, 'haystack'));
  let x = 2463534242; // xorshift32
  let line = '';
  for (let i = 0; i < 250_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    line += x & 1 ? 'a' : 'b';
  }
  writeFileSync(path.join(cwd, 'haystack', 'line.txt'), `${line}\n`);
}

const HAYSTACKS = [
  { name: '(a+)+$ over a tree of 3,000 files of long lines', make: bigTree, pattern: '(a+)+$' },
  { name: '[ab]*a[ab]{20}c on one 250 KB line (a single call of tens of seconds in RE2)', make: oneHardLine, pattern: '[ab]*a[ab]{20}c' },
];

/** The hostile first reply: a cheap call, whose line on stdout says the search starts now, then the search. */
function hostileModel(pattern: string): ScriptedModel {
  const content: ContentBlock[] = [
    { type: 'tool_use', id: 'toolu_list_1', name: 'list_files', input: { glob: 'README.md' } },
    { type: 'tool_use', id: 'toolu_search_1', name: 'search', input: { pattern, glob: 'haystack/**/*.txt' } },
  ];
  return new ScriptedModel({ hunt: [{ content }, ScriptedModel.finish({ summary: 'found nothing' })] });
}

const ENV = (url: string) => ({ ...offlineEnv({ ANTHROPIC_BASE_URL: url }), ANTHROPIC_API_KEY: 'test-key-not-real-0000' });

/** Starts the run and resolves once the search is under way (the call before it is reported done). */
async function runUntilSearching(cwd: string, url: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'run', 'hunt', '--provider', 'anthropic', '--verbose'], { cwd, env: ENV(url), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const searching = new Promise<void>((resolve) =>
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/· hunt list_files/.test(stdout)) resolve();
    }),
  );
  const first = await Promise.race([searching.then(() => 'searching' as const), exited.then(() => 'exited' as const)]);
  expect(first, `${stdout}\n${stderr}`).toBe('searching');
  return { child, exited, output: () => `${stdout}\n${stderr}` };
}

/** CPU time (user + system, in clock ticks) the process has used, from /proc/<pid>/stat. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Resolves once the process has spent `ticks` more of CPU time: with the search started, that
 * is the search matching (the glob and the reads before it take milliseconds), so a signal sent
 * then lands mid-match. Polled, not slept: it waits for the condition, however slow the machine.
 */
async function busyFor(pid: number, ticks: number): Promise<void> {
  const start = cpuTicks(pid);
  while (cpuTicks(pid) - start < ticks) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The exit code, or 'deadline' (and the child killed) when it has not exited within `ms`. */
async function exitWithin(child: ChildProcess, exited: Promise<number | null>, ms: number): Promise<number | null | 'deadline'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), ms)));
  const outcome = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (outcome === 'deadline') child.kill('SIGKILL');
  return outcome;
}

// Linux: the test reads the child's CPU time in /proc to know it is mid-match.
describe.runIf(process.platform === 'linux')('Ctrl-C during a search', () => {
  it.each(HAYSTACKS)('$name: a real child process exits 130 within 3 s of SIGINT, the search never answers, and the run resumes', async ({ make, pattern }) => {
    const server = await fakeServer({ respond: modelResponder(hostileModel(pattern)) });
    const cwd = tempRepo({ 'README.md': '# demo\n', 'workflows/hunt.yaml': workflow(), 'agents/hunter.md': AGENT });
    make(cwd);
    try {
      const { child, exited, output } = await runUntilSearching(cwd, server.url);
      await busyFor(child.pid!, 50); // half a second at Linux's 100 ticks a second
      child.kill('SIGINT');
      const code = await exitWithin(child, exited, 3000);
      expect(code, `still running 3 s after SIGINT:\n${output()}`).not.toBe('deadline');
      expect(code, output()).toBe(130);
      // The search was cut off, not finished: its result never went back to the model.
      expect(server.requests).toHaveLength(1);

      const [runId] = runFolders(cwd);
      const runDir = path.join(cwd, 'pending-commits', runId!);
      const status = () => (JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as { status: string }).status;
      expect(status()).toBe('interrupted');
      expect(output()).toContain(`orchestrate resume ${runId}`);

      // Resumable: the task runs again, and this time the model finishes.
      // (Spawned, not spawnSync: the fake Messages API answers from this process.)
      const resumed = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const again = spawn(process.execPath, [BIN, 'resume', runId!, '--provider', 'anthropic'], { cwd, env: ENV(server.url), stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        again.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        again.on('close', (code) => resolve({ code, stderr }));
      });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(status()).toBe('complete');
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('a task timeout during a search', () => {
  it('the task fails on its timeout (2 s) while RE2 is inside one long call, and the run ends', async () => {
    const server = await fakeServer({ respond: modelResponder(hostileModel('[ab]*a[ab]{20}c')) });
    const cwd = tempRepo({ 'README.md': '# demo\n', 'workflows/hunt.yaml': workflow('2s'), 'agents/hunter.md': AGENT });
    oneHardLine(cwd);
    try {
      const { child, exited, output } = await runUntilSearching(cwd, server.url);
      // The search alone takes tens of seconds on the main thread; the timeout must cut it off.
      const code = await exitWithin(child, exited, 10_000);
      expect(code, `still running 10 s into a task with a 2 s timeout:\n${output()}`).not.toBe('deadline');
      expect(code, output()).toBe(1);
      expect(output()).toMatch(/hunt failed.*(timed out|timeout)/i);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 60_000);
});
