import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runState } from '../../src/staging/run-state.js';
import { formatAge } from '../../src/staging/run-summary.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('runState', () => {
  it('is running while the process that writes the run is alive', () => {
    expect(runState({ status: 'running', owner: { pid: process.pid, host: hostname() } })).toBe('running');
  });

  it('is interrupted when that process is gone, or the run was cancelled', () => {
    expect(runState({ status: 'running', owner: { pid: deadPid(), host: hostname() } })).toBe('interrupted');
    expect(runState({ status: 'cancelled' })).toBe('interrupted');
  });

  it('stays running when the owner is on another host and cannot be checked', () => {
    expect(runState({ status: 'running', owner: { pid: deadPid(), host: `${hostname()}-elsewhere` } })).toBe('running');
  });

  it('passes stored end states through', () => {
    for (const status of ['complete', 'failed', 'applied', 'discarded'] as const) expect(runState({ status })).toBe(status);
  });
});

describe('formatAge', () => {
  it('shows the largest whole unit', () => {
    expect([formatAge(45_000), formatAge(12 * 60_000), formatAge(3 * 3_600_000 + 5), formatAge(2 * 86_400_000)]).toEqual(['45s', '12m', '3h', '2d']);
  });
});
