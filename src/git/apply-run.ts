import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OrchestrateError, UserError } from '../errors.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { crashPoint } from '../runtime/crash-point.js';
import type { Manifest } from '../schema/manifest.js';
import { runTrailer } from '../staging/commit-message.js';
import { withRunLock } from '../staging/run-lock.js';
import { loadRun, readManifest, writeManifest } from '../staging/run-store.js';
import { blockingFindings, readStagedChanges, scanStagedRun, type StagedChange } from '../staging/staged-run.js';
import { formatFinding } from '../staging/secret-scan.js';
import { assertInside, commitChanges, type CommitTarget } from './apply-commit.js';
import { withApplyLock } from './apply-lock.js';
import { planExpertise, restoreSetAside, syncExpertiseIndex } from './apply-expertise.js';
import { describeConflict, mergeRun, type MergedChange } from './apply-merge.js';
import { assertAppliable, defaultBranch, type PlannedChange } from './apply-plan.js';
import { withRepository, type GitRepository } from './repository.js';

/** Options of {@link applyRun}. */
export interface ApplyOptions {
  /** The workspace whose `pending-commits/` holds the run: the repository or a folder in it. */
  workspace: string;
  runId: string;
  /** Commit to this branch instead of `integration/<service>`. */
  branch?: string;
  /** Commit to the checked-out branch. */
  here?: boolean;
  /**
   * Where a new branch starts: a branch, tag or commit. @default the tip of the branch the run
   * was made on, else the run's base commit
   */
  onto?: string;
  /** Check everything and report the plan; change nothing. */
  dryRun?: boolean;
  /** Delete modules the run removes even though other files still import them. */
  force?: boolean;
  /** Where the secret scan reads the values of the declared variables. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
}

/** What {@link applyRun} did, or with `dryRun`, would do. */
export interface ApplyResult {
  outcome: 'applied' | 'unchanged' | 'already-applied' | 'dry-run';
  runId: string;
  branch: string;
  /** The branch was created, from {@link ApplyResult.startedFrom}. */
  createdBranch: boolean;
  /** What a created branch started from: a branch name or a commit. */
  startedFrom?: string;
  /** The branch checked out before, or undefined on a detached HEAD. */
  previousBranch: string | undefined;
  commit?: string;
  changes: PlannedChange[];
  /**
   * The expertise files committed with the run (its learnings and catalog entry, merged onto the
   * branch's version), and those it changed but left uncommitted, each with why.
   */
  expertise: { committed: string[]; skipped: string[] };
}

/** Staged files that cannot be merged onto the branch: exit 1, and nothing was changed. */
export class ApplyConflictError extends OrchestrateError {
  readonly exitCode = 1;
}

/**
 * Commits a complete run's staged files to `integration/<service>`, merging each file three
 * ways (the run's base commit, the branch, the run's version) with `git merge-file`, so lines
 * added to the repository since the run was made are kept. It refuses before changing anything
 * when the repository is mid-merge, a staged file holds a secret, a path it writes has
 * uncommitted changes, or a file conflicts. One apply runs at a time per repository.
 *
 * @example
 * const result = await applyRun({ workspace: process.cwd(), runId: '20261122-010512-twilio-3f9a1c' });
 * console.log(result.commit, result.branch, result.changes.filter((c) => c.action === 'merge'));
 */
export async function applyRun(options: ApplyOptions): Promise<ApplyResult> {
  const workspace = realpathSync(path.resolve(options.workspace));
  const { dir } = await loadRun(workspace, options.runId);
  if (options.here && options.branch) throw new UserError('BAD_ARGUMENTS', 'use --here or --branch, not both');
  if (options.here && options.onto) throw new UserError('BAD_ARGUMENTS', '--here commits onto the checked-out branch, so --onto has no meaning with it');
  return withRepository(workspace, (repo) =>
    withApplyLock(repo, () =>
      withRunLock(dir, async () => {
        crashPoint('apply:locked');
        const manifest = await readManifest(dir);
        assertAppliable(manifest);
        if (manifest.status === 'applied' && manifest.applied) {
          const { commit, branch } = manifest.applied;
          throw new UserError('RUN_APPLIED', `run ${manifest.runId} is already applied as commit ${commit.slice(0, 12)} on ${branch}; nothing to do (undo it with git revert ${commit.slice(0, 12)})`);
        }
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
        return applyToRepository(repo, { workspace, dir, manifest: { ...manifest, findings }, changes, options });
      }),
    ),
  );
}

interface ApplyArgs {
  workspace: string;
  dir: string;
  manifest: Manifest;
  changes: StagedChange[];
  options: ApplyOptions;
}

async function applyToRepository(repo: GitRepository, { workspace, dir, manifest, changes, options }: ApplyArgs): Promise<ApplyResult> {
  const busy = await repo.operationInProgress();
  if (busy) throw new UserError('REPO_BUSY', `${repo.root} is in the middle of ${busy.name}; finish it or run ${busy.abort}, then apply again`);
  const prefix = path.relative(repo.root, workspace).split(path.sep).join('/');
  const toRoot = (repoPath: string) => (prefix ? `${prefix}/${repoPath}` : repoPath);
  const id = manifest.runId;
  // An apply killed while the person's expertise file was set aside for the branch switch.
  await restoreSetAside(repo, dir);

  const previousBranch = await repo.currentBranch();
  const previousHead = await repo.resolve('HEAD');
  if (options.here && !previousBranch) throw new UserError('DETACHED_HEAD', 'HEAD is detached, so --here has no branch to commit to; name one with --branch <name>');
  const branch = options.here ? previousBranch! : (options.branch ?? defaultBranch(manifest));
  await repo.checkBranchName(branch);
  const tip = await repo.resolve(`refs/heads/${branch}`);

  // A commit of this run already on the branch (apply stopped before recording it): record it.
  const earlier = tip ? await repo.findCommitWithLine(branch, runTrailer(id)) : undefined;
  if (earlier) {
    if (!options.dryRun) {
      await syncExpertiseIndex(repo, earlier, dir, toRoot);
      await record(dir, manifest, branch, earlier, false, options.clock);
    }
    return { outcome: 'already-applied', runId: id, branch, createdBranch: false, previousBranch, commit: earlier, changes: [], expertise: { committed: [], skipped: [] } };
  }

  const base = manifest.base?.commit;
  if (base && !(await repo.resolve(base))) {
    throw new UserError('BASE_MISSING', `run ${id} was made on commit ${base.slice(0, 12)}, which is not in this repository any more (history rewritten, or another clone); make the run again, or discard it with orchestrate discard ${id}`);
  }
  const start = tip ? undefined : await startPoint(repo, manifest, options.onto, previousHead);
  if (tip && options.onto && (await repo.resolve(options.onto)) !== tip) {
    throw new UserError('BRANCH_EXISTS', `--onto starts a new branch, but ${branch} exists already; name a new one with --branch <name>, or leave --onto out to commit on top of ${branch}`);
  }
  const to: CommitTarget = { branch, exists: Boolean(tip), start: start?.commit, previousBranch, previousHead, target: tip ?? start?.commit };

  const previous = to.target ? await lastApplyOfService(repo, manifest, to.target) : undefined;
  const plan = await mergeRun(repo, { changes, base, target: to.target, previous, toRoot });
  const dirty = await leftoverFree(repo, await repo.status(plan.changes.map((c) => toRoot(c.path))), plan.changes, toRoot);
  if (dirty.length) {
    throw new UserError('LOCAL_CHANGES', `these files have uncommitted changes the run would overwrite; commit or stash them, then apply again:\n  ${dirty.map((e) => `${e.code} ${e.path}`).join('\n  ')}`);
  }
  const ignored = await repo.ignored(changes.filter((c) => c.kind === 'write').map((c) => toRoot(c.path)));
  if (ignored.length) {
    throw new UserError('IGNORED_PATHS', `these staged files are excluded by .gitignore, so they would not be committed; change .gitignore or remove them from the run:\n  ${ignored.join('\n  ')}`);
  }
  for (const change of changes) await assertInside(repo.root, toRoot(change.path));
  const importers = options.force ? [] : await stillImported(repo, to.target, changes, toRoot);
  if (importers.length) {
    throw new UserError('REMOVAL_IN_USE', `run ${id} removes modules these files still import; change them first (or apply with --force):\n  ${importers.join('\n  ')}`);
  }
  if (plan.conflicts.length) {
    const resolve = base
      ? `to resolve them with git: orchestrate apply ${id} --onto ${base.slice(0, 12)} --branch <new-branch> commits the run onto its own base, then git merge <new-branch> into ${branch}`
      : `edit the staged files in pending-commits/${id}/files/node_modules/ to keep the branch's lines, then apply again`;
    throw new ApplyConflictError('APPLY_CONFLICT', `run ${id} conflicts with ${branch} in ${plan.conflicts.length} file(s); nothing was changed:\n  ${plan.conflicts.map((c) => describeConflict(c, branch)).join('\n  ')}\n${resolve}`);
  }

  const changesOut = plan.changes.map(({ content: _content, ...change }) => change);
  const knowledge = await planExpertise(repo, dir, to.target, toRoot);
  const expertise = { committed: knowledge.commits.map((e) => e.path), skipped: knowledge.skipped };
  const result: ApplyResult = { outcome: 'dry-run', runId: id, branch, createdBranch: !tip, ...(start ? { startedFrom: start.name } : {}), previousBranch, changes: changesOut, expertise };
  if (options.dryRun) return result;
  const commit = await commitChanges(repo, dir, manifest, plan.changes, to, toRoot, knowledge.commits);
  crashPoint('apply:committed');
  if (commit && commit !== to.target) await syncExpertiseIndex(repo, commit, dir, toRoot);
  // Committed. Should recording fail now, the next apply finds the commit by its trailer.
  const active = plan.changes.some((c) => c.action !== 'unchanged' && c.action !== 'absent');
  const merged = plan.changes.filter((c) => c.action === 'merge' && c.path !== '.gitattributes').map((c) => c.path);
  await record(dir, manifest, branch, commit ?? '', !active, options.clock, changes, merged);
  const committed = active ? expertise : { committed: [], skipped: expertise.skipped };
  return { ...result, outcome: active ? 'applied' : 'unchanged', ...(commit ? { commit } : {}), expertise: committed };
}

/**
 * Files on the target, other than those the run deletes or writes, that import a module the
 * run deletes (an import specifier ending in its name, with or without extension).
 */
async function stillImported(repo: GitRepository, target: string | undefined, changes: readonly StagedChange[], toRoot: (p: string) => string): Promise<string[]> {
  const modules = changes.filter((c) => c.kind === 'delete' && /\.[cm]?[jt]sx?$/.test(c.path));
  if (!target || !modules.length) return [];
  const touched = new Set(changes.map((c) => toRoot(c.path)));
  const found: string[] = [];
  for (const module of modules) {
    const stem = path.posix.basename(module.path).replace(/\.[cm]?[jt]sx?$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const files = await repo.grep(target, `['"/]${stem}(\\.[cm]?[jt]sx?)?['"]`);
    found.push(...files.filter((file) => !touched.has(file)).map((file) => `${file} (imports ${module.path})`));
  }
  return [...new Set(found)].sort();
}

/**
 * The newest commit reachable from `target` that applied an earlier run of the same service,
 * found by its `Orchestrate-Run` trailer (run ids are `<date>-<time>-<service>-<hex>`).
 */
async function lastApplyOfService(repo: GitRepository, manifest: Manifest, target: string): Promise<string | undefined> {
  const service = manifest.inputs.service;
  if (typeof service !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(service)) return undefined;
  return repo.findCommitMatching(target, `^${runTrailer('')}[0-9]{8}-[0-9]{6}-${service}-[0-9a-f]{6}$`);
}

/** Where a new branch starts: `--onto`, else the tip of the run's base branch, its base commit, or HEAD. */
async function startPoint(repo: GitRepository, manifest: Manifest, onto: string | undefined, head: string | undefined): Promise<{ commit: string; name: string } | undefined> {
  if (onto !== undefined) {
    const commit = onto.startsWith('-') ? undefined : await repo.resolve(onto);
    if (!commit) throw new UserError('BAD_ONTO', `--onto ${onto}: no such branch, tag or commit in this repository`);
    return { commit, name: onto };
  }
  const base = manifest.base;
  const baseTip = base?.branch ? await repo.resolve(`refs/heads/${base.branch}`) : undefined;
  if (baseTip) return { commit: baseTip, name: base!.branch! };
  if (base) return { commit: base.commit, name: base.commit.slice(0, 12) };
  return head ? { commit: head, name: (await repo.currentBranch()) ?? head.slice(0, 12) } : undefined;
}

/**
 * The uncommitted paths that are a person's work. A path holding exactly what this apply is
 * about to write (or already removed, for a deletion) is what an apply killed part-way left,
 * and applying again finishes it.
 */
async function leftoverFree(repo: GitRepository, dirty: Array<{ code: string; path: string }>, planned: readonly MergedChange[], toRoot: (p: string) => string) {
  const byPath = new Map(planned.map((c) => [toRoot(c.path), c]));
  const kept = [];
  for (const entry of dirty) {
    const change = byPath.get(entry.path);
    const onDisk = await readFile(path.join(repo.root, ...entry.path.split('/'))).catch(() => undefined);
    const ours = change?.content ? onDisk?.equals(change.content) : change?.action === 'delete' && onDisk === undefined;
    if (!ours) kept.push(entry);
  }
  return kept;
}

async function record(dir: string, manifest: Manifest, branch: string, commit: string, unchanged: boolean, clock: Clock = systemClock, changes: StagedChange[] = [], merged: string[] = []): Promise<void> {
  const edited = new Map(changes.flatMap((c) => (c.kind === 'write' && c.edited ? [[c.path, c] as const] : [])));
  const files = manifest.files.map((f) => {
    const change = edited.get(f.path);
    return change ? { ...f, sha256: change.sha256, size: change.content.length } : f;
  });
  const at = new Date(clock.now()).toISOString();
  // What a person changed between the run and its commit, for the next run's learnings (see changes-since-apply.ts).
  const people = { ...(edited.size ? { editedBeforeApply: [...edited.keys()] } : {}), ...(merged.length ? { mergedAtApply: merged } : {}) };
  await writeManifest(dir, { ...manifest, files, status: 'applied', applied: { branch, commit, at, unchanged, ...people } });
}
