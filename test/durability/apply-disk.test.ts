import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { offlineEnv, runFolders, tempRepo } from '../helpers/workspace.js';
import { NO_BASH_TESTER, orchestrate } from './harness.js';

const env = offlineEnv({ NO_COLOR: '1' });

/** True when this machine lets us mount a small tmpfs (root, or a user namespace that allows it). */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(path.join(tmpdir(), 'orchestrate-tmpfs-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' }).status === 0;
  if (mounted) spawnSync('umount', [probe], { stdio: 'ignore' });
  rmSync(probe, { recursive: true, force: true });
  return mounted;
}

/** Writes zeros until the filesystem is full. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  try {
    for (;;) writeSync(fd, chunk, 0, 1);
  } catch {
    // not even a byte left
  }
  closeSync(fd);
}

describe('a run killed while being created', () => {
  it('has no manifest, and discard removes it; nothing is left behind', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
    const killed = await orchestrate(['integrate', 'twilio', '--quiet', '--yes'], repo, { ...env, ORCHESTRATE_CRASH_AT: 'manifest:write' });
    expect(killed.signal).toBe('SIGKILL');
    const [runId] = runFolders(repo);
    expect(existsSync(path.join(repo, 'pending-commits', runId!, 'manifest.json'))).toBe(false);

    const discarded = await orchestrate(['discard', runId!], repo, env);
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(discarded.stdout).toBe(`Removed run ${runId}: it was interrupted while being created, before it had a manifest.\n`);
    expect(runFolders(repo)).toEqual([]);
  });
});

const FULL_DISK = /^orchestrate: no space left on the device( writing \S+)?; free some space, then run the command again \(nothing was left locked\)\n$/;
const HOOK = pathToFileURL(path.join(import.meta.dirname, 'enospc-hook.mjs')).href;

/** The CLI's environment with writes under `dir` failing with ENOSPC after `after` bytes (enospc-hook.mjs). */
const fullUnder = (dir: string, after: number) => ({ ...env, NODE_OPTIONS: `--import=${HOOK}`, ORCHESTRATE_TEST_ENOSPC_DIR: dir, ORCHESTRATE_TEST_ENOSPC_AFTER: String(after) });

// Runs on every machine: the disk fills at the fs boundary of the CLI child (a preload hook).
describe('a full disk (ENOSPC injected at the fs boundary)', () => {
  it('a run, apply and discard each fail with one line and exit 1, leave no lock, and resume, apply and discard work after', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
    const lockFiles = () => [path.join(repo, '.git', 'orchestrate-apply.lock'), ...runFolders(repo).map((id) => path.join(repo, 'pending-commits', id, '.lock'))].filter(existsSync);

    // The disk fills while the run is being made: its run folder is past its first writes.
    const made = await orchestrate(['integrate', 'twilio', '--quiet', '--yes'], repo, fullUnder(path.join(repo, 'pending-commits'), 40_000));
    expect(made.code, made.stderr).toBe(1);
    expect(made.stderr).toMatch(FULL_DISK);
    expect(lockFiles()).toEqual([]);
    const [runId] = runFolders(repo);
    const resumed = await orchestrate(['resume', runId!, '--quiet', '--yes'], repo, env);
    expect(resumed.code, resumed.stderr).toBe(0);

    // The disk fills during apply (its commit message goes into the run folder) and discard.
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' });
    for (const command of [['apply', runId!], ['discard', runId!]]) {
      const result = await orchestrate(command, repo, fullUnder(path.join(repo, 'pending-commits', runId!), 0));
      expect(result.code, `${command[0]}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toMatch(FULL_DISK);
      expect(lockFiles()).toEqual([]);
      expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' })).toBe(head);
      expect(execFileSync('git', ['status', '--porcelain', '--', ':!pending-commits', ':!agents', ':!expertise'], { cwd: repo, encoding: 'utf8' })).toBe('');
      expect(execFileSync('git', ['branch', '--list', 'integration/*'], { cwd: repo, encoding: 'utf8' })).toBe('');
    }
    const applied = await orchestrate(['apply', runId!], repo, env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: repo, encoding: 'utf8' })).toMatch(/twilio/);
  });
});

describe.runIf(canMountTmpfs())('a full disk (a 4 MiB tmpfs)', () => {
  it('apply and discard fail with one line and exit 1, leave no lock, and work once there is space', async () => {
    const source = tempRepo({ 'README.md': '# demo\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
    const made = await orchestrate(['integrate', 'twilio', '--quiet', '--yes'], source, env);
    expect(made.code, made.stderr).toBe(0);
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'orchestrate-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    try {
      const repo = path.join(mountPoint, 'repo');
      mkdirSync(repo);
      cpSync(source, repo, { recursive: true });
      const [runId] = runFolders(repo);
      fill(path.join(mountPoint, 'filler'));

      for (const command of [['apply', runId!], ['discard', runId!]]) {
        const result = await orchestrate(command, repo, env);
        expect(result.code, `${command[0]}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toMatch(FULL_DISK);
        expect(existsSync(path.join(repo, '.git', 'orchestrate-apply.lock'))).toBe(false);
        expect(existsSync(path.join(repo, 'pending-commits', runId!, '.lock'))).toBe(false);
      }

      rmSync(path.join(mountPoint, 'filler'));
      const applied = await orchestrate(['apply', runId!], repo, env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: repo, encoding: 'utf8' })).toMatch(/twilio/);
    } finally {
      execFileSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});
