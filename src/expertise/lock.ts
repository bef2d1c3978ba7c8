import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { systemClock, type Clock } from '../runtime/clock.js';

/*
 * Why a hand-written lock: `proper-lockfile` is the usual choice, but it is not installed and
 * several engineers share one node_modules, so adding a package is discouraged. The scheme is
 * the classic one and small enough to read in one sitting:
 * - acquire: create `<file>.lock` with O_EXCL (`wx`), holding `{ pid, host, token, acquiredAt }`;
 * - while held, touch the lock's mtime every `staleMs / 3`, so a live holder never looks stale;
 * - stale: the holder's pid is gone (same host), or the mtime is older than `staleMs`;
 * - take over a stale lock under a second O_EXCL guard (`<file>.lock.takeover`) and only when
 *   the lock is still the very one judged stale (same token, inode and mtime), so two waiters never
 *   both remove it and a fresh lock is never removed by mistake;
 * - release: remove the lock only if it still carries our token.
 * Windows is not a target; POSIX gives O_EXCL and atomic rename on local filesystems.
 */

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** A lock whose holder has not refreshed it for this long is taken over. @default 10_000 */
  staleMs?: number;
  /** How long to wait for a live holder before giving up with a clear error. @default 60_000 */
  waitMs?: number;
  /** Source of "now" for staleness and of the waits between attempts. @default systemClock */
  clock?: Clock;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly lockFile: string;
  /** True while the lock file still carries this holder's token. */
  isHeld(): Promise<boolean>;
  /** Stops refreshing and removes the lock if it is still ours. */
  release(): Promise<void>;
}

interface Holder {
  pid?: number;
  host?: string;
  token?: string;
  acquiredAt?: string;
  mtimeMs: number;
  ino: number;
}

export const DEFAULT_STALE_MS = 10_000;

/** Takes the lock of `target` (a file path), waiting for a live holder and recovering a stale one. */
export async function acquireLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  const clock = options.clock ?? systemClock;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = clock.now() + (options.waitMs ?? 60_000);
  const lockFile = `${target}.lock`;
  await mkdir(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const token = randomBytes(8).toString('hex');
    if (await tryCreate(lockFile, token, clock)) return held(lockFile, token, staleMs);
    const holder = await readHolder(lockFile);
    if (!holder) continue;
    if (isStale(holder, clock.now(), staleMs)) {
      await takeOver(lockFile, holder, clock.now(), staleMs);
      continue;
    }
    if (clock.now() >= deadline) {
      const who = holder.pid ? `pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}` : 'another process';
      throw new UserError('EXPERTISE_LOCKED', `${target} is locked by ${who}; if no orchestrate is running, delete ${lockFile}`);
    }
    await clock.sleep(Math.min(100, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
  }
}

async function tryCreate(lockFile: string, token: string, clock: Clock): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), token, acquiredAt: new Date(clock.now()).toISOString() }));
  } catch (error) {
    await handle.close();
    await unlink(lockFile).catch(ignoreMissing); // a half-made lock would block others until stale
    throw error;
  }
  await handle.close();
  return true;
}

async function readHolder(lockFile: string): Promise<Holder | undefined> {
  try {
    const info = await stat(lockFile);
    const text = await readFile(lockFile, 'utf8');
    let content: Partial<Holder> = {};
    try {
      content = JSON.parse(text) as Partial<Holder>;
    } catch {
      // Created but not written yet, or its writer died in between: judged by mtime alone.
    }
    return { ...content, mtimeMs: info.mtimeMs, ino: info.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(holder: Holder, now: number, staleMs: number): boolean {
  if (holder.host === hostname() && typeof holder.pid === 'number' && !processAlive(holder.pid)) return true;
  return now - holder.mtimeMs > staleMs;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeOver(lockFile: string, stale: Holder, now: number, staleMs: number): Promise<void> {
  const guard = `${lockFile}.takeover`;
  const token = randomBytes(8).toString('hex');
  let guardHandle;
  try {
    guardHandle = await open(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is taking over. Only a guard whose owner died is cleared here.
    const other = await readHolder(guard);
    if (other && isStale(other, now, staleMs)) await unlink(guard).catch(ignoreMissing);
    return;
  }
  try {
    await guardHandle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), token }));
    await guardHandle.close();
    guardHandle = undefined;
    const again = await readHolder(lockFile);
    if (again && again.ino === stale.ino && again.token === stale.token && again.mtimeMs === stale.mtimeMs) await unlink(lockFile).catch(ignoreMissing);
  } finally {
    await guardHandle?.close();
    await unlink(guard).catch(ignoreMissing);
  }
}

function held(lockFile: string, token: string, staleMs: number): HeldLock {
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(lockFile, now, now).catch(() => undefined);
  }, Math.max(10, Math.floor(staleMs / 3)));
  refresh.unref();
  const isHeld = async () => (await readHolder(lockFile))?.token === token;
  return {
    lockFile,
    isHeld,
    async release() {
      clearInterval(refresh);
      if (await isHeld()) await unlink(lockFile).catch(ignoreMissing);
    },
  };
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
