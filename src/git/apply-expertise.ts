import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { checkExpertise } from '../expertise/load.js';
import { readMergeSnapshot } from '../expertise/merge-snapshot.js';
import { readChangeRecord } from '../expertise/record.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { runPath } from '../staging/run-layout.js';
import { gitBlobId } from './apply-plan.js';
import type { GitRepository } from './repository.js';

/** An expertise file apply commits with the run: the branch's version with the run's merge on top. */
export interface ExpertiseCommit {
  /** Path relative to the workspace, with forward slashes. */
  path: string;
  content: Buffer;
}

/** What apply does with the expertise the run changed. */
export interface ExpertisePlan {
  commits: ExpertiseCommit[];
  /** One line per expertise file the run changed but apply leaves uncommitted: the path and why. */
  skipped: string[];
}

/**
 * The expertise the run changed, as apply commits it with the run's files so the team's memory
 * is versioned with the code it describes. What is committed is the run's own change, the
 * difference between the file just before and just after the run's merge (kept in the run
 * folder, src/expertise/merge-snapshot.ts), applied to the branch's version with
 * `git merge-file`, and only when that is exactly the working tree's file: uncommitted lines of
 * a person (or of another run) are never swept into the commit, and a working copy left changed
 * against the commit would stop `git switch` back to a branch with another version. Such a file,
 * one whose merge conflicts, or one that would not be valid expertise, is left out of the commit
 * (and untouched) with the reason returned.
 */
export async function planExpertise(repo: GitRepository, runDir: string, target: string | undefined, toRoot: (repoPath: string) => string): Promise<ExpertisePlan> {
  const plan: ExpertisePlan = { commits: [], skipped: [] };
  const record = await readChangeRecord(runDir).catch(() => undefined);
  if (!record || !target) return plan;
  for (const domain of record.domains) {
    // A merge that changed nothing but the date is not worth a line in the commit.
    if (!domain.changes.some((change) => change.kind !== 'last-updated')) continue;
    const repoPath = domain.file.split('\\').join('/');
    const snapshot = await readMergeSnapshot(runDir, domain.domain);
    if (!snapshot) {
      plan.skipped.push(`${repoPath}: the run kept no copy of its merge (an earlier orchestrate made it); commit the run's learnings yourself`);
      continue;
    }
    const rootPath = toRoot(repoPath);
    const working = await readFile(path.join(repo.root, ...rootPath.split('/')), 'utf8').catch(() => undefined);
    if (working === undefined) {
      plan.skipped.push(`${repoPath}: deleted from the working tree since the run`);
      continue;
    }
    if ((await repo.ignored([rootPath])).length) {
      plan.skipped.push(`${repoPath}: excluded by .gitignore`);
      continue;
    }
    const id = (await repo.blobIds(target, [rootPath])).get(rootPath);
    const ours = id ? (await repo.readBlob(id)).toString('utf8') : undefined;
    if (ours === undefined && snapshot.before !== undefined) {
      plan.skipped.push(`${repoPath}: the branch has no such file, and the run merged into a version of it that was never committed; commit the file yourself`);
      continue;
    }
    const merged = await mergedText(repo, ours, snapshot.before, snapshot.after);
    if (merged === undefined) {
      plan.skipped.push(`${repoPath}: the branch changed it where the run did; merge the run's learnings yourself (orchestrate expertise diff ${record.runId} lists them)`);
      continue;
    }
    if (merged === ours) continue;
    if (!checkExpertise(merged, repoPath).ok) {
      plan.skipped.push(`${repoPath}: the branch's version with the run's changes is not valid expertise; merge the run's learnings yourself`);
      continue;
    }
    if (merged !== working) {
      // Committed, the working copy would stay changed against it, and git would refuse to switch
      // back to a branch with another version: the person commits it with their own lines.
      plan.skipped.push(`${repoPath}: your working copy also has lines this run did not add (yours, or another run's), so it is left for you to commit`);
      continue;
    }
    plan.commits.push({ path: repoPath, content: Buffer.from(merged, 'utf8') });
  }
  return plan;
}

/** The branch's text with the run's merge applied; undefined on a conflict. */
async function mergedText(repo: GitRepository, ours: string | undefined, before: string | undefined, after: string): Promise<string | undefined> {
  // The branch holds what the run merged into: the run's text is the answer.
  if (ours === before) return after;
  if (ours === after) return ours;
  const output = await repo.mergeFile({ ours: Buffer.from(ours ?? '', 'utf8'), base: Buffer.from(before ?? '', 'utf8'), theirs: Buffer.from(after, 'utf8') });
  return output && !output.conflicts.length ? output.content.toString('utf8') : undefined;
}

/**
 * After the commit, the index's entry of each expertise file the run changed is moved to the
 * committed version when it held the branch's previous one (nothing of the person's was staged),
 * so `git status` shows only the working tree's own lines as uncommitted, never a staged undoing
 * of the run's learnings. Idempotent: apply killed after its commit does this when run again.
 */
export async function syncExpertiseIndex(repo: GitRepository, commit: string, runDir: string, toRoot: (repoPath: string) => string): Promise<void> {
  const record = await readChangeRecord(runDir).catch(() => undefined);
  const parent = await repo.resolve(`${commit}^`);
  if (!record || !parent) return;
  const paths = record.domains.map((domain) => toRoot(domain.file.split('\\').join('/')));
  const [before, after] = await Promise.all([repo.blobIds(parent, paths), repo.blobIds(commit, paths)]);
  for (const rootPath of paths) {
    const committed = after.get(rootPath);
    if (!committed || committed === before.get(rootPath)) continue;
    const entry = await repo.indexEntry(rootPath);
    if (entry?.blob !== before.get(rootPath)) continue;
    await repo.setIndexEntry(rootPath, { mode: entry?.mode ?? '100644', blob: committed });
  }
}

/** Where a working tree's expertise file waits while apply switches branches. */
function asideDir(runDir: string): string {
  return path.join(runPath(runDir, 'expertiseMerge'), '.worktree');
}

/**
 * The expertise files a run merged into are usually uncommitted in the working tree, and git
 * refuses to switch to a branch whose version of them differs. Apply moves each such file aside
 * into the run folder (the file as the person has it), puts the checked-out version in its
 * place, switches, and then writes the person's file back: their working file is the same after
 * apply as before. Returns the function that puts the files back. A kill in between is finished
 * by {@link restoreSetAside} at the next apply.
 */
export async function setAsideExpertise(repo: GitRepository, runDir: string, toRoot: (repoPath: string) => string): Promise<() => Promise<void>> {
  const record = await readChangeRecord(runDir).catch(() => undefined);
  for (const [index, domain] of (record?.domains ?? []).entries()) {
    const rootPath = toRoot(domain.file.split('\\').join('/'));
    const file = path.join(repo.root, ...rootPath.split('/'));
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined) continue;
    const head = await repo.resolve('HEAD');
    const id = head ? (await repo.blobIds(head, [rootPath])).get(rootPath) : undefined;
    if (id && gitBlobId(content, id.length) === id && (await repo.indexEntry(rootPath))?.blob === id) continue;
    // `left`: what the working tree holds meanwhile (the checked-out version, or nothing).
    await writeFileAtomic(path.join(asideDir(runDir), `${index}.json`), JSON.stringify({ path: rootPath, content: content.toString('base64'), left: id ?? null }));
    if (id) await repo.restore(head!, [rootPath]);
    else {
      await repo.unstage([rootPath]);
      await rm(file, { force: true });
    }
  }
  return () => restoreSetAside(repo, runDir);
}

/**
 * Writes back every expertise file {@link setAsideExpertise} moved aside for this run, where the
 * working tree still holds what was left in its place, or nothing (so a change made since is
 * never overwritten), then forgets them.
 */
export async function restoreSetAside(repo: GitRepository, runDir: string): Promise<void> {
  const dir = asideDir(runDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const saved = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { path: string; content: string; left: string | null };
    const file = path.join(repo.root, ...saved.path.split('/'));
    const current = await readFile(file).catch(() => undefined);
    const head = await repo.resolve('HEAD');
    const checkedOut = head ? (await repo.blobIds(head, [saved.path])).get(saved.path) : undefined;
    // Nothing there, what apply left, or the version git checked out: nobody's work is overwritten.
    const untouched = current === undefined || [saved.left, checkedOut].some((id) => id && gitBlobId(current, id.length) === id);
    // Changed since by someone: the person's copy stays in the run folder rather than be lost.
    if (!untouched) continue;
    await writeFileAtomic(file, Buffer.from(saved.content, 'base64'));
    await rm(path.join(dir, name), { force: true });
  }
  // Gone when empty; a copy kept above keeps it.
  if (names.length) await rmdir(dir).catch(() => undefined);
}
