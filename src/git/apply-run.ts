import { realpathSync } from 'node:fs';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import type { Manifest } from '../schema/manifest.js';
import { prepareKind } from '../kinds/registry.js';
import { commitMessage, runTrailer, withRunTrailer } from '../staging/commit-message.js';
import { withRunLock } from '../staging/run-lock.js';
import { loadRun, readManifest, writeManifest } from '../staging/run-store.js';
import { blockingFindings, readStagedChanges, scanStagedRun, type StagedChange } from '../staging/staged-run.js';
import { formatFinding } from '../staging/secret-scan.js';
import { assertAppliable, defaultBranch, planChanges, type PlannedChange } from './apply-plan.js';
import { withRepository, type GitRepository } from './repository.js';
import { runPath } from '../staging/run-layout.js';

/** Options of {@link applyRun}. */
export interface ApplyOptions {
  /** The workspace whose `pending-commits/` holds the run: the repository or a folder in it. */
  workspace: string;
  runId: string;
  /** Commit to this branch instead of `integration/<service>`. */
  branch?: string;
  /** Commit to the checked-out branch. */
  here?: boolean;
  /** Check everything and report the plan; change nothing. */
  dryRun?: boolean;
  /** Where the secret scan reads the values of the declared variables. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
}

/** What {@link applyRun} did, or with `dryRun`, would do. */
export interface ApplyResult {
  outcome: 'applied' | 'unchanged' | 'already-applied' | 'dry-run';
  runId: string;
  branch: string;
  /** The branch was created from the checked-out commit. */
  createdBranch: boolean;
  /** The branch checked out before, or undefined on a detached HEAD. */
  previousBranch: string | undefined;
  commit?: string;
  changes: PlannedChange[];
}

/**
 * Commits a complete run's staged files to `integration/<service>` (created from the current
 * commit, or reused), refusing before it changes anything when the repository is mid-merge or
 * mid-rebase, a staged file holds a secret, or a path it writes has uncommitted local changes.
 * The run is marked applied with its commit; applying it again commits nothing.
 *
 * @example
 * const result = await applyRun({ workspace: process.cwd(), runId: '20261122-010512-twilio-3f9a1c' });
 * console.log(result.commit, result.branch);
 */
export async function applyRun(options: ApplyOptions): Promise<ApplyResult> {
  const workspace = realpathSync(path.resolve(options.workspace));
  const { dir } = await loadRun(workspace, options.runId);
  if (options.here && options.branch) throw new UserError('BAD_ARGUMENTS', 'use --here or --branch, not both');
  return withRunLock(dir, async () => {
    const manifest = await readManifest(dir);
    assertAppliable(manifest);
    if (manifest.status === 'applied' && manifest.applied) return alreadyApplied(manifest, manifest.applied.commit);
    const changes = await readStagedChanges(dir, manifest);
    if (!changes.length) throw new UserError('NOTHING_STAGED', `run ${manifest.runId} staged no files; there is nothing to commit (discard it with orchestrate discard ${manifest.runId})`);

    const findings = await scanStagedRun(dir, manifest, options.env ?? process.env);
    const blocking = blockingFindings(findings);
    if (blocking.length) {
      if (!options.dryRun) await writeManifest(dir, { ...manifest, findings });
      throw new UserError(
        'SECRETS_FOUND',
        `run ${manifest.runId} will not be applied: the secret scan found ${blocking.length} secret(s):\n  ${blocking.map(formatFinding).join('\n  ')}\n` +
          `Remove them from pending-commits/${manifest.runId}/ and apply again, or discard the run.`,
      );
    }
    return withRepository(workspace, (repo) => commitRun(repo, { workspace, dir, manifest: { ...manifest, findings }, changes, options }));
  });
}

interface CommitArgs {
  workspace: string;
  dir: string;
  manifest: Manifest;
  changes: StagedChange[];
  options: ApplyOptions;
}

async function commitRun(repo: GitRepository, { workspace, dir, manifest, changes, options }: CommitArgs): Promise<ApplyResult> {
  const busy = await repo.operationInProgress();
  if (busy) throw new UserError('REPO_BUSY', `${repo.root} is in the middle of ${busy.name}; finish it or run ${busy.abort}, then apply again`);
  const prefix = path.relative(repo.root, workspace).split(path.sep).join('/');
  const toRoot = (repoPath: string) => (prefix ? `${prefix}/${repoPath}` : repoPath);

  const previousBranch = await repo.currentBranch();
  const previousHead = await repo.resolve('HEAD');
  if (options.here && !previousBranch) throw new UserError('DETACHED_HEAD', 'HEAD is detached, so --here has no branch to commit to; name one with --branch <name>');
  const branch = options.here ? previousBranch! : (options.branch ?? defaultBranch(manifest));
  await repo.checkBranchName(branch);
  const exists = await repo.branchExists(branch);

  // A commit of this run already on the branch (apply stopped before recording it): record it.
  const earlier = exists ? await repo.findCommitWithLine(branch, runTrailer(manifest.runId)) : undefined;
  if (earlier) {
    if (!options.dryRun) await record(dir, manifest, branch, earlier, false, options.clock);
    return alreadyApplied(manifest, earlier, branch);
  }

  const paths = changes.map((change) => toRoot(change.path));
  const dirty = await repo.status(paths);
  if (dirty.length) {
    throw new UserError('LOCAL_CHANGES', `these files have uncommitted changes the run would overwrite; commit or stash them, then apply again:\n  ${dirty.map((e) => `${e.code} ${e.path}`).join('\n  ')}`);
  }
  const ignored = await repo.ignored(changes.filter((c) => c.kind === 'write').map((c) => toRoot(c.path)));
  if (ignored.length) {
    throw new UserError('IGNORED_PATHS', `these staged files are excluded by .gitignore, so they would not be committed; change .gitignore or remove them from the run:\n  ${ignored.join('\n  ')}`);
  }

  for (const rootPath of paths) await assertInside(repo.root, rootPath);

  const base = exists ? await repo.resolve(`refs/heads/${branch}`) : previousHead;
  const planned = planChanges(changes, base ? await repo.blobIds(base, paths) : new Map(), toRoot);
  const result: ApplyResult = { outcome: 'dry-run', runId: manifest.runId, branch, createdBranch: !exists && !options.here, previousBranch, changes: planned };
  if (options.dryRun) return result;

  const switching = !options.here && branch !== previousBranch;
  if (switching) {
    await repo.switchBranch(branch, !exists).catch((error: Error) => {
      throw new UserError('SWITCH_FAILED', `could not switch to ${branch}: ${gitMessage(error)}`);
    });
  }
  const active = planned.filter((p) => p.action !== 'unchanged' && p.action !== 'absent');
  let commit = base;
  try {
    for (const change of changes) {
      if (change.kind !== 'write' || !active.some((p) => p.path === change.path)) continue;
      await writeInside(repo.root, toRoot(change.path), change.content);
    }
    await repo.remove(active.filter((p) => p.action === 'delete').map((p) => toRoot(p.path)));
    await repo.add(active.filter((p) => p.action !== 'delete').map((p) => toRoot(p.path)));
    if (active.length) {
      const messageFile = path.join(dir, '.COMMIT_MSG.apply');
      const reviewed = await readFile(runPath(dir, 'commitMessage'), 'utf8').catch(() => fallbackMessage(manifest));
      await writeFileAtomic(messageFile, withRunTrailer(reviewed, manifest.runId));
      try {
        commit = await repo.commit(messageFile, active.map((p) => toRoot(p.path)));
      } finally {
        await rm(messageFile, { force: true });
      }
    }
  } catch (error) {
    await rollBack(repo, { base, active: active.map((p) => ({ path: toRoot(p.path), existed: p.action !== 'add' })), switching, created: !exists, branch, previousBranch, previousHead });
    if (error instanceof UserError) throw error;
    throw new UserError('COMMIT_FAILED', `apply stopped and was rolled back: ${gitMessage(error as Error)}`);
  }
  // Committed. Should recording fail now, the next apply finds the commit by its trailer.
  await record(dir, manifest, branch, commit ?? '', !active.length, options.clock, changes);
  return { ...result, outcome: active.length ? 'applied' : 'unchanged', ...(commit ? { commit } : {}) };
}

/** Refuses a path whose nearest existing folder is a link leading out of the repository. */
async function assertInside(root: string, rootPath: string): Promise<void> {
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

interface RollBack {
  base: string | undefined;
  active: Array<{ path: string; existed: boolean }>;
  switching: boolean;
  created: boolean;
  branch: string;
  previousBranch: string | undefined;
  previousHead: string | undefined;
}

/** Puts the paths apply touched back as they were, and the branch, best effort. */
async function rollBack(repo: GitRepository, state: RollBack): Promise<void> {
  const quietly = (work: Promise<unknown>) => work.catch(() => undefined);
  const existed = state.active.filter((p) => p.existed).map((p) => p.path);
  const added = state.active.filter((p) => !p.existed).map((p) => p.path);
  if (state.base) await quietly(repo.restore(state.base, existed));
  await quietly(repo.unstage(added));
  for (const file of added) await quietly(rm(path.join(repo.root, ...file.split('/')), { force: true }));
  if (!state.switching) return;
  if (state.previousBranch) await quietly(repo.switchBranch(state.previousBranch, false));
  else if (state.previousHead) await quietly(repo.run(['switch', '--quiet', '--detach', state.previousHead]));
  if (state.created) await quietly(repo.deleteBranch(state.branch));
}

async function record(dir: string, manifest: Manifest, branch: string, commit: string, unchanged: boolean, clock: Clock = systemClock, changes: StagedChange[] = []): Promise<void> {
  const edited = new Map(changes.flatMap((c) => (c.kind === 'write' && c.edited ? [[c.path, c] as const] : [])));
  const files = manifest.files.map((f) => {
    const change = edited.get(f.path);
    return change ? { ...f, sha256: change.sha256, size: change.content.length } : f;
  });
  const at = new Date(clock.now()).toISOString();
  await writeManifest(dir, { ...manifest, files, status: 'applied', applied: { branch, commit, at, unchanged } });
}

function alreadyApplied(manifest: Manifest, commit: string, branch = manifest.applied?.branch ?? defaultBranch(manifest)): ApplyResult {
  return { outcome: 'already-applied', runId: manifest.runId, branch, createdBranch: false, previousBranch: undefined, commit, changes: [] };
}

/** The first meaningful line of a git error. */
function gitMessage(error: Error): string {
  const text = error.message ?? String(error);
  if (/Please tell me who you are|empty ident|unable to auto-detect email/i.test(text)) {
    return 'git does not know who you are; set git config user.name and user.email';
  }
  return text.split('\n').map((line) => line.trim()).find((line) => line && !line.startsWith('hint:')) ?? 'git failed';
}

/** The message the run wrote, made again when `COMMIT_MSG` was deleted: its kind writes the subject. */
function fallbackMessage(manifest: Manifest): string {
  const change = { workflow: manifest.workflow, runId: manifest.runId, files: manifest.files, deletions: manifest.deletions };
  const subject = prepareKind(manifest.kind, manifest.inputs, { offline: false }).commitSubject(change);
  return commitMessage(subject, manifest.workflow, manifest.runId, manifest.files, manifest.deletions);
}
