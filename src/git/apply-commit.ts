import { realpathSync } from 'node:fs';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { diskFullError, UserError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { crashPoint } from '../runtime/crash-point.js';
import type { Manifest } from '../schema/manifest.js';
import { prepareKind } from '../kinds/registry.js';
import { commitMessage, withRunTrailer } from '../staging/commit-message.js';
import { runPath } from '../staging/run-layout.js';
import { setAsideExpertise, type ExpertiseCommit } from './apply-expertise.js';
import type { MergedChange } from './apply-merge.js';
import type { GitRepository } from './repository.js';

/** Where the commit goes and what the repository looked like before. */
export interface CommitTarget {
  branch: string;
  /** The branch exists already (or is the checked-out one, with --here). */
  exists: boolean;
  /** The commit the branch is created from, when it does not exist. */
  start: string | undefined;
  previousBranch: string | undefined;
  previousHead: string | undefined;
  /** The commit the merge was computed against: the branch's tip, or `start`. */
  target: string | undefined;
}

/**
 * Switches to the branch (creating it at `start`), writes the merged files, stages them and
 * commits with the run's reviewed message and trailer, with the run's part of the expertise
 * (`expertise`, committed without touching the working tree's copy). A failure rolls the paths and the branch
 * back; a SIGKILL at any step is finished by applying again (see README, "Apply").
 * Crash points (src/runtime/crash-point.ts): apply:switched, apply:write (after each file),
 * apply:added, apply:message, apply:committed.
 */
export async function commitChanges(
  repo: GitRepository,
  runDir: string,
  manifest: Manifest,
  changes: readonly MergedChange[],
  to: CommitTarget,
  toRoot: (repoPath: string) => string,
  expertise: readonly ExpertiseCommit[] = [],
): Promise<string | undefined> {
  const switching = to.branch !== to.previousBranch;
  // The person's uncommitted expertise would stop the switch: it waits in the run folder meanwhile.
  const putBack = switching ? await setAsideExpertise(repo, runDir, toRoot) : undefined;
  try {
    return await switchAndCommit(repo, runDir, manifest, changes, to, toRoot, expertise, switching);
  } finally {
    await putBack?.();
  }
}

async function switchAndCommit(
  repo: GitRepository,
  runDir: string,
  manifest: Manifest,
  changes: readonly MergedChange[],
  to: CommitTarget,
  toRoot: (repoPath: string) => string,
  expertise: readonly ExpertiseCommit[],
  switching: boolean,
): Promise<string | undefined> {
  if (switching) {
    await (to.exists ? repo.switchBranch(to.branch, false) : repo.createBranch(to.branch, to.start!)).catch((error: Error) => {
      throw new UserError('SWITCH_FAILED', `could not switch to ${to.branch}: ${gitMessage(error)}; nothing was changed`);
    });
  }
  crashPoint('apply:switched');
  const active = changes.filter((c) => c.action !== 'unchanged' && c.action !== 'absent');
  try {
    for (const change of active) {
      if (!change.content) continue;
      await writeInside(repo.root, toRoot(change.path), change.content);
      crashPoint('apply:write');
    }
    await repo.remove(active.filter((c) => c.action === 'delete').map((c) => toRoot(c.path)));
    await repo.add(active.filter((c) => c.action !== 'delete').map((c) => toRoot(c.path)));
    crashPoint('apply:added');
    if (!active.length) return to.target;
    const messageFile = path.join(runDir, '.COMMIT_MSG.apply');
    const reviewed = await readFile(runPath(runDir, 'commitMessage'), 'utf8').catch(() => fallbackMessage(manifest));
    await writeFileAtomic(messageFile, withRunTrailer(reviewed, manifest.runId));
    crashPoint('apply:message');
    try {
      const paths = active.map((c) => toRoot(c.path));
      // The expertise is committed as merged for the branch, whatever the working tree's copy holds.
      if (expertise.length) return await repo.commitWithBlobs(messageFile, paths, expertise.map((e) => ({ path: toRoot(e.path), content: e.content })));
      return await repo.commit(messageFile, paths);
    } finally {
      await rm(messageFile, { force: true });
    }
  } catch (error) {
    await rollBack(repo, to, active.map((c) => ({ path: toRoot(c.path), existed: c.action !== 'add' })), switching);
    if (error instanceof UserError) throw error;
    const full = diskFullError(error);
    if (full) throw full;
    throw new UserError('COMMIT_FAILED', `apply stopped and was rolled back: ${gitMessage(error as Error)}`);
  }
}

/** Refuses a path whose nearest existing folder is a link leading out of the repository. */
export async function assertInside(root: string, rootPath: string): Promise<void> {
  let parent = path.dirname(path.join(root, ...rootPath.split('/')));
  while (!(await stat(parent).catch(() => undefined))) parent = path.dirname(parent);
  const real = realpathSync(parent);
  if (real !== root && !real.startsWith(`${root}${path.sep}`)) throw new UserError('PATH_REFUSED', `${rootPath} leads outside the repository through a symbolic link; nothing was changed`);
}

/** Writes a file under the repository root, checking again after the branch switch. */
async function writeInside(root: string, rootPath: string, content: Buffer): Promise<void> {
  await assertInside(root, rootPath);
  const target = path.join(root, ...rootPath.split('/'));
  const mode = (await stat(target).catch(() => undefined))?.mode;
  await writeFileAtomic(target, content);
  if (mode !== undefined) await chmod(target, mode & 0o7777);
}

/** Puts the paths apply touched back as they were, and the branch, best effort. */
async function rollBack(repo: GitRepository, to: CommitTarget, active: Array<{ path: string; existed: boolean }>, switching: boolean): Promise<void> {
  const quietly = (work: Promise<unknown>) => work.catch(() => undefined);
  const existed = active.filter((p) => p.existed).map((p) => p.path);
  const added = active.filter((p) => !p.existed).map((p) => p.path);
  if (to.target) await quietly(repo.restore(to.target, existed));
  await quietly(repo.unstage(added));
  for (const file of added) await quietly(rm(path.join(repo.root, ...file.split('/')), { force: true }));
  if (!switching) return;
  if (to.previousBranch) await quietly(repo.switchBranch(to.previousBranch, false));
  else if (to.previousHead) await quietly(repo.run(['switch', '--quiet', '--detach', to.previousHead]));
  if (!to.exists) await quietly(repo.deleteBranch(to.branch));
}

/** The first meaningful line of a git error. */
export function gitMessage(error: Error): string {
  const text = error.message ?? String(error);
  if (/Please tell me who you are|empty ident|unable to auto-detect email/i.test(text)) {
    return 'git does not know who you are; set git config user.name and user.email';
  }
  return text.split('\n').map((line) => line.trim()).find((line) => line && !line.startsWith('hint:')) ?? 'git failed';
}

/** The message the run wrote, made again when `COMMIT_MSG` was deleted: its kind writes the subject. */
async function fallbackMessage(manifest: Manifest): Promise<string> {
  const change = { workflow: manifest.workflow, runId: manifest.runId, files: manifest.files, deletions: manifest.deletions };
  const subject = (await prepareKind(manifest.kind, manifest.inputs, { offline: false })).commitSubject(change);
  return commitMessage(subject, manifest.workflow, manifest.runId, manifest.files, manifest.deletions);
}
