import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expertisePath, parseExpertise } from '../../src/expertise/load.js';
import { REPO_ROOT, tempRepo } from '../helpers/workspace.js';

// Real child processes running dist/ (run `npm run build` first), as real runs would.
const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'writer.mjs');

interface Writer {
  child: ChildProcess;
  /** Resolves with the first line matching `pattern` on stdout. */
  line(pattern: RegExp): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWriter(cwd: string, n: number, holdAt = '', staleMs = '', maxLearnings = '', barrier = false): Writer {
  const child = spawn(process.execPath, [WRITER, cwd, REPO_ROOT, String(n), holdAt, staleMs, maxLearnings], {
    stdio: [barrier ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(barrier ? { WRITER_BARRIER: '1' } : {}) },
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const found = stdout.split('\n').find((l) => waiter.pattern.test(l));
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit, line: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })) };
}

const file = (cwd: string) => expertisePath(cwd, 'integrations');
const leftovers = (cwd: string) => readdirSync(path.dirname(file(cwd))).filter((name) => name !== 'expertise.yaml');

describe('never lose an update (real child processes)', () => {
  it('20 writers merging at once leave all 20 catalog entries and learnings, a valid file and no lock', async () => {
    const cwd = tempRepo();
    const writers = Array.from({ length: 20 }, (_, n) => startWriter(cwd, n, '', '', '', true));
    // All 20 loaded and waiting, then all released at once, so their merges overlap.
    await Promise.all(writers.map((w) => w.line(/^READY$/)));
    for (const w of writers) w.child.stdin!.end('GO\n');
    const exits = await Promise.all(writers.map((w) => w.exit));
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 });

    const text = readFileSync(file(cwd), 'utf8');
    parseExpertise(text, file(cwd));
    const data = parse(text);
    const names = data.integrations_catalog.test.map((e: { name: string }) => e.name).sort();
    expect(names).toEqual(Array.from({ length: 20 }, (_, n) => `service-${n}`).sort());
    expect(data.learnings.map((l: { run_id: string }) => l.run_id).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `run-${n}`).sort());
    expect(text).toContain('# Integrations expertise: the team'); // the seed's comments survived 20 rewrites
    expect(leftovers(cwd)).toEqual([]);
  });

  it.each(['locked', 'validated'] as const)('a writer SIGKILLed holding the lock (at %s) blocks no one, and the file is before, not between', async (step) => {
    const cwd = tempRepo();
    expect((await startWriter(cwd, 0).exit).code).toBe(0);
    const before = readFileSync(file(cwd), 'utf8');

    const victim = startWriter(cwd, 1, step);
    await victim.line(/^HOLDING/);
    expect(existsSync(`${file(cwd)}.lock`)).toBe(true);
    victim.child.kill('SIGKILL');
    expect((await victim.exit).signal).toBe('SIGKILL');
    expect(readFileSync(file(cwd), 'utf8')).toBe(before);

    const next = await startWriter(cwd, 2, '', '2000').exit;
    expect(next, next.stderr).toMatchObject({ code: 0 });
    const data = parse(readFileSync(file(cwd), 'utf8'));
    expect(data.learnings.map((l: { run_id: string }) => l.run_id)).toEqual(['run-0', 'run-2']);
    expect(leftovers(cwd)).toEqual([]);
  });

  it('a frozen holder (alive, not refreshing) is taken over past the stale timeout', async () => {
    const cwd = tempRepo();
    const frozen = startWriter(cwd, 1, 'locked', '300');
    await frozen.line(/^HOLDING/);
    frozen.child.kill('SIGSTOP');
    try {
      const next = await startWriter(cwd, 2, '', '300').exit;
      expect(next, next.stderr).toMatchObject({ code: 0 });
      expect(parse(readFileSync(file(cwd), 'utf8')).learnings.map((l: { run_id: string }) => l.run_id)).toEqual(['run-2']);
    } finally {
      frozen.child.kill('SIGKILL');
      await frozen.exit;
    }
  });

  it('a writer waiting on the lock when its holder is killed gets it and merges', async () => {
    const cwd = tempRepo();
    const victim = startWriter(cwd, 1, 'validated', '60000');
    await victim.line(/^HOLDING/);
    const waiting = startWriter(cwd, 2, '', '60000');
    // The waiter is polling a lock whose holder is alive; killing the holder frees it at once.
    victim.child.kill('SIGKILL');
    const done = await waiting.exit;
    expect(done, done.stderr).toMatchObject({ code: 0 });
    expect(parse(readFileSync(file(cwd), 'utf8')).learnings.map((l: { run_id: string }) => l.run_id)).toEqual(['run-2']);
    expect(leftovers(cwd)).toEqual([]);
  });

  it('a writer killed between writing the archive and the file loses nothing and duplicates nothing', async () => {
    const cwd = tempRepo();
    for (let n = 0; n < 4; n++) expect((await startWriter(cwd, n).exit).code).toBe(0);
    const before = readFileSync(file(cwd), 'utf8');
    // Dated in the past, so the next merges may archive them.
    writeFileSync(file(cwd), before.replaceAll('date: 2026-01-02', 'date: 2025-06-01'));
    const victim = startWriter(cwd, 4, 'archived', '', '2');
    await victim.line(/^HOLDING/);
    victim.child.kill('SIGKILL');
    await victim.exit;
    const archive = path.join(path.dirname(file(cwd)), 'archive.yaml');
    expect(parse(readFileSync(archive, 'utf8')).learnings).toHaveLength(4); // all four old ones; run-4's own is kept
    expect(parse(readFileSync(file(cwd), 'utf8')).learnings).toHaveLength(4); // the file is still the one before

    expect((await startWriter(cwd, 5, '', '', '2').exit).code).toBe(0);
    const live = parse(readFileSync(file(cwd), 'utf8')).learnings.map((l: { run_id: string }) => l.run_id);
    const archived = parse(readFileSync(archive, 'utf8')).learnings.map((l: { run_id: string }) => l.run_id);
    expect(live.length).toBeLessThanOrEqual(2);
    expect(new Set(archived).size).toBe(archived.length);
    expect([...live, ...archived].sort()).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-5']);
    expect(leftovers(cwd)).toEqual(['archive.yaml']);
  });
});
