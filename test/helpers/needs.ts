import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * What some tests need from outside the clone. A user's `npm test` skips those tests by name
 * when a need is missing; with ORCHESTRATE_REQUIRE_ALL=1 (set by .ci/run) a missing need fails.
 */
export type Need = 'compat' | 'redis' | 'chromium' | 'bwrap';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The compatibility corpus: ORCHESTRATE_COMPAT_DIR, else ../shared/compat beside the clone. */
export const COMPAT_DIR = process.env.ORCHESTRATE_COMPAT_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'compat');
export const REDIS_URL = process.env.ORCHESTRATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CHROMIUM_PATH = process.env.ORCHESTRATE_CHROMIUM ?? '/usr/bin/chromium';

const HOW: Record<Need, string> = {
  compat: `no compatibility corpus at ${COMPAT_DIR} (set ORCHESTRATE_COMPAT_DIR)`,
  redis: `no Redis answering at ${REDIS_URL} (start redis-server or set ORCHESTRATE_TEST_REDIS_URL)`,
  chromium: `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium or set ORCHESTRATE_CHROMIUM)`,
  bwrap: 'bubblewrap cannot make a sandbox here (apt-get install bubblewrap)',
};

const cache = new Map<Need, boolean>();

/** Whether a need is met on this machine (checked once per test worker). */
export function has(need: Need): boolean {
  let found = cache.get(need);
  if (found === undefined) {
    found = probe(need);
    cache.set(need, found);
  }
  return found;
}

function probe(need: Need): boolean {
  switch (need) {
    case 'compat':
      return existsSync(COMPAT_DIR);
    case 'chromium':
      return existsSync(CHROMIUM_PATH);
    case 'bwrap':
      return spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-pid', '--proc', '/proc', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
    case 'redis': {
      const { hostname, port } = new URL(REDIS_URL);
      const script = `const s=require('node:net').connect(${Number(port || 6379)},${JSON.stringify(hostname)});s.setTimeout(2000,()=>process.exit(1));s.on('error',()=>process.exit(1));s.on('connect',()=>s.write('PING\\r\\n'));s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));`;
      return spawnSync(process.execPath, ['-e', script], { stdio: 'ignore', timeout: 5_000 }).status === 0;
    }
  }
}

/** The reasons the given needs are not met, empty when all are. */
export function missing(needs: Need[]): string[] {
  return needs.filter((need) => !has(need)).map((need) => HOW[need]);
}

/**
 * `describe` for tests that need something outside the clone. Missing: skipped with the reason in
 * the name and listed at the end of the run, or failed when ORCHESTRATE_REQUIRE_ALL=1.
 */
export function describeNeeding(needs: Need[], name: string, body: () => void): void {
  const reasons = missing(needs);
  if (reasons.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.ORCHESTRATE_REQUIRE_ALL === '1') {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(`required by ORCHESTRATE_REQUIRE_ALL: ${reasons.join('; ')}`);
      });
    });
    return;
  }
  const log = process.env.ORCHESTRATE_SKIP_LOG;
  if (log) appendFileSync(log, `${name} — ${reasons.join('; ')}\n`);
  describe.skip(`${name} [skipped: ${reasons.join('; ')}]`, body);
}

/** `it` for one test that needs something outside the clone; see `describeNeeding`. */
export function itNeeding(needs: Need[], name: string, fn: () => unknown, timeout?: number): void {
  const reasons = missing(needs);
  if (reasons.length === 0) {
    it(name, fn, timeout);
    return;
  }
  if (process.env.ORCHESTRATE_REQUIRE_ALL === '1') {
    it(name, () => {
      throw new Error(`required by ORCHESTRATE_REQUIRE_ALL: ${reasons.join('; ')}`);
    });
    return;
  }
  const log = process.env.ORCHESTRATE_SKIP_LOG;
  if (log) appendFileSync(log, `${name} — ${reasons.join('; ')}\n`);
  it.skip(`${name} [skipped: ${reasons.join('; ')}]`, fn);
}
