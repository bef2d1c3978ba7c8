import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { InternalError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import type { Clock } from '../runtime/clock.js';
import { appendToArchive, archivePath, DEFAULT_ARCHIVE_BOUND, trimToBound, type ArchiveBound } from './archive.js';
import { expertisePath, MAX_EXPERTISE_BYTES, parseExpertise, readBoundedText, readExpertise, type LoadedExpertise } from './load.js';
import { acquireLock, type LockOptions } from './lock.js';
import { applyExpertiseUpdate, YAML_OUTPUT, type ExpertiseUpdate, type MergeSummary } from './merge.js';

/** The package's seed file for a domain, used when a workspace has none yet. */
export function seedPath(packageRoot: string, domain: string): string {
  return path.join(packageRoot, 'expertise', domain, 'expertise.yaml');
}

/** The workspace's expertise for a domain, or the package seed when the workspace has none. */
export async function loadExpertise(workspace: string, packageRoot: string, domain: string): Promise<LoadedExpertise | undefined> {
  return (await readExpertise(expertisePath(workspace, domain))) ?? (await readExpertise(seedPath(packageRoot, domain)));
}

/** Options of {@link mergeExpertise}; every one has a working default. */
export interface MergeOptions {
  lock?: LockOptions;
  archive?: ArchiveBound;
  clock?: Clock;
  /**
   * Called at each step of the write protocol. Tests use it to kill a writer at a known point;
   * a real run leaves it unset.
   */
  onStep?: (step: 'locked' | 'archived' | 'validated') => void | Promise<void>;
  /**
   * Called under the lock with the merged text, what it changes and the text it replaces
   * (undefined when the file did not exist), just before it replaces the file. A run records it
   * in its journal first, so a resume can tell whether the merge happened.
   */
  beforeWrite?: (text: string, result: Omit<MergeResult, 'file'>, before: string | undefined) => void | Promise<void>;
}

export interface MergeResult extends MergeSummary {
  file: string;
  /** Learnings moved to archive.yaml by this merge. */
  archived: number;
}

/** Writers retry when they find they lost the lock (a holder frozen past the stale timeout). */
const MAX_ATTEMPTS = 3;

/**
 * Merges a run's update into `expertise/<domain>/expertise.yaml` so that no update is lost:
 * lock, re-read (the seed when missing), merge, move old learnings to archive.yaml past the
 * size bound, validate, write to a temp file, fsync, rename, unlock. A crash at any point
 * leaves the file as it was before or after, never in between.
 */
export async function mergeExpertise(
  workspace: string,
  packageRoot: string,
  domain: string,
  update: ExpertiseUpdate,
  options: MergeOptions = {},
): Promise<MergeResult> {
  const file = expertisePath(workspace, domain);
  for (let attempt = 1; ; attempt++) {
    const lock = await acquireLock(file, { ...(options.clock ? { clock: options.clock } : {}), ...options.lock });
    try {
      await options.onStep?.('locked');
      await removeLeftoverTemps(file);
      // The re-read under the lock is what keeps a concurrent writer's merge.
      const before = await readBoundedText(file, MAX_EXPERTISE_BYTES, 'move old learnings to archive.yaml or split the file');
      const current = parseExpertise(before ?? (await seedText(packageRoot, domain)), file);
      const summary = applyExpertiseUpdate(current.document, current.data, update);
      const moved = trimToBound(current.document, options.archive ?? DEFAULT_ARCHIVE_BOUND, update.date);
      const text = current.document.toString(YAML_OUTPUT);
      parseExpertise(text, file);
      await options.onStep?.('validated');
      if (moved.length) {
        // The archive first: a crash in between leaves a learning in both files, never in neither.
        await appendToArchive(archivePath(file), domain, moved, update.date);
        summary.changes.push({ kind: 'learnings-archived', count: moved.length, archive: path.relative(workspace, archivePath(file)) });
        await options.onStep?.('archived');
      }
      if (!(await lock.isHeld())) {
        if (attempt < MAX_ATTEMPTS) continue;
        throw new InternalError(`lost the lock on ${file} ${MAX_ATTEMPTS} times while merging`);
      }
      await options.beforeWrite?.(text, { ...summary, archived: moved.length }, before);
      await writeFileAtomic(file, text, { crashAt: 'expertise:write' });
      return { ...summary, file, archived: moved.length };
    } finally {
      await lock.release();
    }
  }
}

async function seedText(packageRoot: string, domain: string): Promise<string> {
  return readFile(seedPath(packageRoot, domain), 'utf8').catch(() => `domain: ${domain}\nversion: 1.1\nlearnings: []\n`);
}

/** Temp files a killed writer left beside the file. Only called under the lock, so none is live. */
async function removeLeftoverTemps(file: string): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  await Promise.all(
    names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => rm(path.join(path.dirname(file), name), { force: true })),
  );
}
