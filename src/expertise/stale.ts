import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from '../runtime/lazy-modules.js';
import type { StaleFinding } from '../schema/expertise.js';
import type { LoadedExpertise } from './load.js';
import { locate } from './locate.js';
import { runPath, runsDir } from '../staging/run-layout.js';
import { upgradeRunLayout } from '../staging/run-layout-upgrade.js';

interface NamedPath {
  path: string;
  at: PropertyKey[];
  kind: 'missing-file' | 'missing-file-affected';
}

/**
 * Checks the expertise against the repository: `files` paths and learnings' `files_affected`
 * that no longer exist, and catalog entries whose files are all gone. Values that are not paths
 * (a command such as `npm run build`) are skipped; globs count as present when anything matches.
 * A path staged by a run that is not applied yet (`pending-commits/<id>/files/node_modules/`) is pending,
 * not stale: it will exist once the run is applied.
 */
export async function findStaleExpertise(workspace: string, domain: string, loaded: LoadedExpertise): Promise<StaleFinding[]> {
  const { data, document, lines } = loaded;
  const file = path.relative(workspace, loaded.file) || loaded.file;
  const exists = existenceCache(workspace, await pendingRuns(workspace));
  const where = (at: PropertyKey[]) => locate(document, lines, at);
  const findings: StaleFinding[] = [];

  const named: NamedPath[] = [];
  collectFilePaths(data.files, ['files'], named);
  (data.learnings ?? []).forEach((learning, i) =>
    (learning.files_affected ?? []).forEach((p, j) => named.push({ path: p, at: ['learnings', i, 'files_affected', j], kind: 'missing-file-affected' })),
  );
  for (const item of named) {
    if (!looksLikePath(item.path)) continue;
    const state = await exists(item.path);
    if (state === 'present' || state === 'pending') continue;
    findings.push({
      domain,
      file,
      location: where(item.at),
      kind: state === 'outside' ? 'outside-repository' : item.kind,
      path: item.path,
      message: state === 'outside' ? `${item.path} points outside the repository` : `${item.path} no longer exists in the repository`,
    });
  }

  for (const [category, entries] of Object.entries(data.integrations_catalog ?? {})) {
    for (const [index, entry] of (entries ?? []).entries()) {
      const files = Array.isArray(entry.files) ? entry.files.filter((f): f is string => typeof f === 'string' && looksLikePath(f)) : [];
      if (files.length === 0) continue;
      const states = await Promise.all(files.map(exists));
      const missing = files.filter((_, i) => states[i] === 'missing' || states[i] === 'outside');
      if (missing.length === 0) continue;
      const all = missing.length === files.length;
      findings.push({
        domain,
        file,
        location: where(['integrations_catalog', category, index, 'files']),
        kind: all ? 'catalog-files-gone' : 'missing-file',
        path: missing.join(', '),
        message: all
          ? `catalog entry ${entry.name}: all ${files.length} of its files are gone`
          : `catalog entry ${entry.name}: ${missing.length} of ${files.length} files are gone (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`,
      });
    }
  }
  return findings;
}

/** Every `path:` string under `files`, whatever grouping a person chose. */
function collectFilePaths(node: unknown, at: PropertyKey[], out: NamedPath[]): void {
  if (Array.isArray(node)) node.forEach((item, i) => collectFilePaths(item, [...at, i], out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'path' && typeof value === 'string') out.push({ path: value, at: [...at, key], kind: 'missing-file' });
      else collectFilePaths(value, [...at, key], out);
    }
  }
}

/** A command (`npm run build`) or a URL is not a repository path. */
function looksLikePath(value: string): boolean {
  return value.trim() !== '' && !/\s/.test(value.trim()) && !/^[a-z]+:\/\//i.test(value);
}

type Existence = 'present' | 'pending' | 'missing' | 'outside';

function existenceCache(workspace: string, pending: readonly string[]): (p: string) => Promise<Existence> {
  const cache = new Map<string, Promise<Existence>>();
  return (p) => {
    let found = cache.get(p);
    if (!found) {
      found = check(workspace, p, pending);
      cache.set(p, found);
    }
    return found;
  };
}

async function check(workspace: string, p: string, pending: readonly string[]): Promise<Existence> {
  const absolute = path.resolve(workspace, p);
  const relative = path.relative(workspace, absolute);
  if (path.isAbsolute(p) || relative.startsWith('..')) return 'outside';
  if (await existsUnder(workspace, p)) return 'present';
  for (const staged of pending) if (await existsUnder(staged, p)) return 'pending';
  return 'missing';
}

async function existsUnder(root: string, p: string): Promise<boolean> {
  if (/[*?[\]{}]/.test(p)) {
    const matches = await glob(p, { cwd: root, onlyFiles: false, dot: true, expandDirectories: false });
    return matches.length > 0;
  }
  return stat(path.resolve(root, p)).then(() => true, () => false);
}

/** The staged trees of the runs not yet applied or discarded. */
async function pendingRuns(workspace: string): Promise<string[]> {
  const runs = runsDir(workspace);
  const ids = await readdir(runs).catch(() => [] as string[]);
  const trees: string[] = [];
  for (const id of ids.sort()) {
    const manifest = await readFile(runPath(path.join(runs, id), 'manifest'), 'utf8').then((t) => JSON.parse(t) as { status?: unknown }, () => undefined);
    if (!manifest || manifest.status === 'applied' || manifest.status === 'discarded') continue;
    if (manifest.status !== 'running') await upgradeRunLayout(path.join(runs, id));
    trees.push(runPath(path.join(runs, id), 'files'));
  }
  return trees;
}

/**
 * The staleness check run before a workflow: only the workspace's own expertise files are
 * checked (a package seed describes the layout a run will create, not this repository).
 */
export async function staleBeforeRun(workspace: string, domains: readonly string[], loaded: ReadonlyArray<LoadedExpertise | undefined>): Promise<StaleFinding[]> {
  const own = path.join(workspace, 'expertise') + path.sep;
  const findings = await Promise.all(
    domains.map((domain, i) => {
      const file = loaded[i];
      return file && path.resolve(file.file).startsWith(own) ? findStaleExpertise(workspace, domain, file) : Promise.resolve([]);
    }),
  );
  return findings.flat();
}
