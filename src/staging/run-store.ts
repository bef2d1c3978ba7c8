import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic, writeFileAtomicSync, type AtomicWriteOptions } from '../runtime/atomic-write.js';
import { Manifest, MANIFEST_SCHEMA_VERSION } from '../schema/manifest.js';
import { runPath, runsDir } from './run-layout.js';
import { upgradeRunLayout } from './run-layout-upgrade.js';
import { runState } from './run-state.js';

/** Run ids are made by orchestrate (`20261122-010512-twilio-3f9a1c`); anything else is refused. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A run folder found on disk, with its manifest or why it could not be read. */
export interface StoredRun {
  runId: string;
  dir: string;
  manifest?: Manifest;
  problem?: string;
}

export function manifestFile(runDir: string): string {
  return runPath(runDir, 'manifest');
}

/** Reads and validates a manifest; an unknown schema version says what to do. */
export async function readManifest(runDir: string): Promise<Manifest> {
  const file = manifestFile(runDir);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError('BAD_MANIFEST', `${file}: ${error.code === 'ENOENT' ? 'missing' : error.message}; the run folder is incomplete (discard it with orchestrate discard ${path.basename(runDir)})`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError('BAD_MANIFEST', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== MANIFEST_SCHEMA_VERSION) {
    throw new UserError('MANIFEST_VERSION', `${file}: schema version ${JSON.stringify(version)} is not one this orchestrate reads (${MANIFEST_SCHEMA_VERSION}); use the orchestrate version that made the run, or upgrade orchestrate`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new UserError('BAD_MANIFEST', `${file}: ${problems}`);
  }
  return parsed.data;
}

export function writeManifest(runDir: string, manifest: Manifest, options: AtomicWriteOptions = {}): Promise<void> {
  return writeFileAtomic(manifestFile(runDir), manifestText(manifest), options);
}

/** {@link writeManifest} in place and without fsync (see writeFileAtomicSync). */
export function writeManifestSync(runDir: string, manifest: Manifest, options: { crashAt?: string } = {}): void {
  writeFileAtomicSync(manifestFile(runDir), manifestText(manifest), options);
}

function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Every run folder of a workspace, newest first (run ids start with their time). */
export async function listRuns(workspace: string): Promise<StoredRun[]> {
  const root = runsDir(workspace);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const ids = entries.filter((e) => e.isDirectory() && RUN_ID.test(e.name)).map((e) => e.name).sort().reverse();
  return Promise.all(
    ids.map(async (runId): Promise<StoredRun> => {
      const dir = path.join(root, runId);
      try {
        return { runId, dir, manifest: await readManifest(dir) };
      } catch (error) {
        return { runId, dir, problem: (error as Error).message };
      }
    }),
  );
}

/**
 * The one run lookup: a run id, a unique prefix of one, or `last` (the newest run). A bad,
 * unknown or ambiguous id is a one-line user error naming the runs that exist.
 *
 * @example
 * const runId = await findRunId(process.cwd(), 'last');
 */
export async function findRunId(workspace: string, given: string): Promise<string> {
  const latest = given === 'last' || given === 'latest';
  if (!latest && !RUN_ID.test(given)) throw new UserError('BAD_RUN_ID', `"${given}" is not a run id; list the runs with orchestrate runs`);
  const entries = await readdir(runsDir(workspace), { withFileTypes: true }).catch(() => []);
  const ids = entries.filter((e) => e.isDirectory() && RUN_ID.test(e.name)).map((e) => e.name).sort();
  if (ids.length === 0) throw new UserError('NO_SUCH_RUN', `no run "${given}": there are no runs in ${runsDir(workspace)}; start one with orchestrate integrate <service>`);
  const found = latest ? [ids[ids.length - 1]!] : ids.includes(given) ? [given] : ids.filter((id) => id.startsWith(given));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new UserError('AMBIGUOUS_RUN', `"${given}" matches ${found.length} runs (${found.slice(0, 3).join(', ')}${found.length > 3 ? ', ...' : ''}); give more of the id`);
  const close = ids.filter((id) => id.includes(given));
  const hint = close.length === 1 ? `did you mean ${close[0]}?` : `the newest is ${ids[ids.length - 1]}; see orchestrate runs`;
  throw new UserError('NO_SUCH_RUN', `no run "${given}" in ${runsDir(workspace)}: ${hint}`);
}

/**
 * Finds a run by id, unique prefix or `last` ({@link findRunId}) and reads its manifest. A run
 * staged in the old layout (`files/<path>`) is moved to the current one first, unless a process
 * is still writing it (see {@link upgradeRunLayout}).
 */
export async function loadRun(workspace: string, given: string): Promise<{ runId: string; dir: string; manifest: Manifest }> {
  const runId = await findRunId(workspace, given);
  const dir = path.join(runsDir(workspace), runId);
  const manifest = await readManifest(dir);
  if (runState(manifest) !== 'running') await upgradeRunLayout(dir);
  return { runId, dir, manifest };
}
