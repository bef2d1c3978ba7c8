import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A git URL a worker may fetch from: git://, http(s)://, ssh://, file://, `user@host:path`, or an
 * absolute path. Never one of git's command transports (`ext::`), never an option (`-...`): the
 * URL comes from a queue job, and whoever can write to the queue must not run commands with it.
 */
export function isFetchableUrl(url: string): boolean {
  if (url.startsWith('-') || /[\0\n\r]/.test(url)) return false;
  if (/^(git|https?|ssh|file):\/\/\S+$/.test(url)) return true;
  if (path.isAbsolute(url)) return true;
  return /^[\w.-]+@[\w.-]+:[^:]\S*$/.test(url);
}

const inFlight = new Map<string, Promise<string>>();

/**
 * The repository at `commit`, fetched from `url` into `<cacheDir>/<commit>` the first time and
 * reused after (by every task of every run at that commit). A checkout is built beside the cache
 * and renamed into place, so a folder under its commit's name is always whole, even when two
 * workers fetch the same commit at once.
 *
 * @example
 * const dir = await checkoutCommit('git://ci.example.com/app', 'e83c5163316f89bfbde7d9ab23ca2e25604af290', '/var/cache/orchestrate');
 */
export function checkoutCommit(url: string, commit: string, cacheDir: string): Promise<{ dir: string; fetched: boolean }> {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) return Promise.reject(new Error(`"${commit}" is not a full commit id`));
  if (!isFetchableUrl(url)) return Promise.reject(new Error(`"${url}" is not a git URL a worker fetches from (git://, http(s)://, ssh://, file:// or an absolute path)`));
  const dir = path.join(cacheDir, commit);
  if (existsSync(dir)) return Promise.resolve({ dir, fetched: false });
  let fetching = inFlight.get(dir);
  if (!fetching) {
    fetching = fetchInto(url, commit, cacheDir, dir).finally(() => inFlight.delete(dir));
    inFlight.set(dir, fetching);
    return fetching.then((d) => ({ dir: d, fetched: true }));
  }
  return fetching.then((d) => ({ dir: d, fetched: false }));
}

async function fetchInto(url: string, commit: string, cacheDir: string, dir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const building = path.join(cacheDir, `.${commit}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await mkdir(building);
  try {
    const { simpleGit } = require('simple-git') as typeof import('simple-git'); // loaded by the first fetch only
    // simple-git itself refuses ext:: and the other command transports.
    const git = simpleGit({ baseDir: building, config: ['advice.detachedHead=false'] });
    await git.init();
    // Only that commit, no history: a task reads the tree, not the log.
    await git.raw(['fetch', '--quiet', '--depth', '1', '--no-tags', url, commit]);
    await git.raw(['checkout', '--quiet', '--detach', commit]);
    try {
      await rename(building, dir);
    } catch (error) {
      // Another worker on this host put the same commit there first: use its copy.
      if (!existsSync(dir)) throw error;
    }
    return dir;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}
