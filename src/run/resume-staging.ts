import { createHash } from 'node:crypto';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { StagedFile } from '../schema/manifest.js';
import type { StagingArea } from '../staging/staging-area.js';
import type { ResumeFold } from './resume-fold.js';

/** What restoring the staging area found on disk. */
export interface StagingRestore {
  /** Files removed: written by attempts that were in flight, or temp files of a cut write. */
  removed: string[];
  /** Staged files of done tasks whose content a later, unfinished attempt changed (see below). */
  changed: string[];
}

/**
 * Makes a resumed run's staging area what its done tasks left: the entries come from the
 * journal (see {@link foldJournal}); any file under `files/` or `notes/` that no done task staged
 * (a file an in-flight attempt wrote, the temp file of a write cut by the crash) is removed, so
 * the re-run of that task rewrites it or it is gone, never duplicated or left over.
 *
 * A done task's file that an unfinished attempt overwrote or removed cannot be brought back (its
 * content is not in the journal); the entry then follows the disk, and the re-run task, which
 * changed it the first time, changes it again.
 */
export async function restoreStaging(staging: StagingArea, fold: ResumeFold): Promise<StagingRestore> {
  const report: StagingRestore = { removed: [], changed: [] };
  const files: StagedFile[] = [];
  for (const entry of fold.files) {
    const content = await readFile(staging.fileOf(entry.path)).catch(() => undefined);
    if (content === undefined) {
      report.changed.push(entry.path);
      continue;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (sha256 === entry.sha256) files.push(entry);
    else {
      report.changed.push(entry.path);
      files.push({ ...entry, sha256, size: content.length });
    }
  }
  staging.restore(files, fold.deletions);
  const keep = new Set(files.map((entry) => staging.fileOf(entry.path)));
  for (const dir of [staging.filesDir, staging.notesDir]) await prune(dir, keep, report.removed);
  return report;
}

/** Removes every file under `dir` not in `keep`, then the directories left empty. */
async function prune(dir: string, keep: ReadonlySet<string>, removed: string[]): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return true;
  let empty = true;
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (await prune(file, keep, removed)) await rmdir(file).catch(() => undefined);
      else empty = false;
    } else if (keep.has(file)) {
      empty = false;
    } else {
      await rm(file, { force: true });
      removed.push(file);
    }
  }
  return empty;
}
