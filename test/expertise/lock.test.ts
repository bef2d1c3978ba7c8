import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/expertise/lock.js';
import type { Clock } from '../../src/runtime/clock.js';
import { tempRepo } from '../helpers/workspace.js';

/** A clock whose sleeps advance it instead of waiting. */
function fakeClock(start: number): Clock & { slept: number } {
  let now = start;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

const target = () => path.join(tempRepo(), 'expertise.yaml');
const foreignLock = (file: string) =>
  writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: 'another-machine', token: 'theirs', acquiredAt: '2026-01-01T00:00:00Z' }));

describe('the expertise lock', () => {
  it('creates a lock file with pid and host, and release removes it', async () => {
    const file = target();
    const lock = await acquireLock(file);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder and takes the lock once it is released', async () => {
    const file = target();
    const first = await acquireLock(file);
    const clock = fakeClock(Date.now());
    let released = false;
    const originalSleep = clock.sleep;
    clock.sleep = async (ms) => {
      await originalSleep(ms);
      if (clock.slept > 50 && !released) {
        released = true;
        await first.release();
      }
    };
    const second = await acquireLock(file, { clock });
    expect(released).toBe(true);
    expect(await second.isHeld()).toBe(true);
    await second.release();
  });

  it('a lock from another machine is taken over only once it is older than the stale timeout', async () => {
    const file = target();
    foreignLock(file);
    const mtime = statSync(`${file}.lock`).mtimeMs;
    const clock = fakeClock(mtime);
    const lock = await acquireLock(file, { clock, staleMs: 5_000 });
    expect(clock.slept).toBeGreaterThanOrEqual(5_000);
    expect(clock.slept).toBeLessThan(5_500);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).token).not.toBe('theirs');
    await lock.release();
  });

  it('a lock whose process is gone (same host) is recovered at once', async () => {
    const file = target();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), token: 'dead' }));
    const clock = fakeClock(Date.now());
    const lock = await acquireLock(file, { clock, staleMs: 60_000 });
    expect(clock.slept).toBe(0);
    await lock.release();
  });

  it('an empty lock file (its writer died before writing) is recovered after the stale timeout', async () => {
    const file = target();
    writeFileSync(`${file}.lock`, '');
    const clock = fakeClock(statSync(`${file}.lock`).mtimeMs);
    const lock = await acquireLock(file, { clock, staleMs: 1_000 });
    expect(clock.slept).toBeGreaterThanOrEqual(1_000);
    await lock.release();
  });

  it('gives up on a live holder after waitMs with a message that says what to do', async () => {
    const file = target();
    const holder = await acquireLock(file);
    const clock = fakeClock(Date.now());
    await expect(acquireLock(file, { clock, waitMs: 2_000 })).rejects.toThrow(
      new RegExp(`locked by pid ${process.pid} on .*; if no orchestrate is running, delete .*expertise\\.yaml\\.lock`),
    );
    await holder.release();
  });

  it('release leaves alone a lock that someone else took over', async () => {
    const file = target();
    const lock = await acquireLock(file);
    foreignLock(file);
    expect(await lock.isHeld()).toBe(false);
    await lock.release();
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).token).toBe('theirs');
  });
});
