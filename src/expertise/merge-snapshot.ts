import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { runPath } from '../staging/run-layout.js';

/** One domain's expertise file as the run's merge found it and left it. */
export interface MergeSnapshot {
  /** The text the merge replaced; undefined when the file did not exist (the seed was merged into). */
  before: string | undefined;
  after: string;
}

function snapshotDir(runDir: string, domain: string): string {
  return path.join(runPath(runDir, 'expertiseMerge'), domain);
}

/**
 * Keeps the expertise text before and after a run's merge in the run folder, so `apply` can
 * commit what this run changed in the expertise (the difference between the two) onto the
 * branch's version, and nothing else of the working tree's file. Written before the file is
 * replaced, so a merge that happened always has its snapshot.
 */
export async function writeMergeSnapshot(runDir: string, domain: string, snapshot: MergeSnapshot): Promise<void> {
  const dir = snapshotDir(runDir, domain);
  if (snapshot.before === undefined) await rm(path.join(dir, 'before.yaml'), { force: true });
  else await writeFileAtomic(path.join(dir, 'before.yaml'), snapshot.before);
  await writeFileAtomic(path.join(dir, 'after.yaml'), snapshot.after);
}

/** A domain's snapshot, or undefined when the run made none (no merge, or made before snapshots). */
export async function readMergeSnapshot(runDir: string, domain: string): Promise<MergeSnapshot | undefined> {
  const dir = snapshotDir(runDir, domain);
  const after = await readFile(path.join(dir, 'after.yaml'), 'utf8').catch(() => undefined);
  if (after === undefined) return undefined;
  return { before: await readFile(path.join(dir, 'before.yaml'), 'utf8').catch(() => undefined), after };
}
