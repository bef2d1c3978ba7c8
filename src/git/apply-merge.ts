import path from 'node:path';
import type { StagedChange } from '../staging/staged-run.js';
import { gitBlobId, type FileAction, type PlannedChange } from './apply-plan.js';
import type { GitRepository } from './repository.js';
import { describeKeyConflict, mergePackageJson, mergesByKey } from './package-json-merge.js';
import { describeRange, type ConflictHunk } from './three-way.js';
import { linesAreIndependent, unionAttributes } from './union-attributes.js';

export { linesAreIndependent } from './union-attributes.js';

/** A planned change with the content apply writes (for `add`, `modify` and `merge`). */
export interface MergedChange extends PlannedChange {
  content?: Buffer;
}

/** A staged file that cannot be merged onto the branch: why, and where. */
export interface FileConflict {
  path: string;
  reason: string;
  hunks: ConflictHunk[];
}

/** What the run's changes do to the branch, or the conflicts that stop the apply. */
export interface MergePlan {
  changes: MergedChange[];
  conflicts: FileConflict[];
}

interface MergeArgs {
  changes: readonly StagedChange[];
  /** The run's base commit; undefined for a run that recorded none. */
  base: string | undefined;
  /** The commit the run is applied onto (the branch's tip, or where it will start). */
  target: string | undefined;
  /**
   * The commit that applied this service's last run, when there is one: a file it holds is
   * merged from that version instead of the run's base, so a person's edits to generated files
   * since then are kept when the run generates them again (update-integration).
   */
  previous?: string | undefined;
  toRoot: (repoPath: string) => string;
}

/**
 * Merges every staged change three ways, reading only git objects: the file at the run's base,
 * at the target, and the run's version. A file the branch did not change since the base takes
 * the run's version; one the run did not change keeps the branch's; one both changed is merged
 * by `git merge-file`. Nothing in the work tree is touched.
 */
export async function mergeRun(repo: GitRepository, args: MergeArgs): Promise<MergePlan> {
  const { base, target, previous, toRoot } = args;
  const changes = [...args.changes];
  const attributes = await attributesChange(repo, changes, target, toRoot);
  if (attributes) changes.push(attributes);
  const paths = changes.map((c) => toRoot(c.path));
  const [runBaseIds, targetIds, previousIds] = await Promise.all([
    base ? repo.blobIds(base, paths) : new Map<string, string>(),
    target ? repo.blobIds(target, paths) : new Map<string, string>(),
    previous ? repo.blobIds(previous, paths) : new Map<string, string>(),
  ]);
  // A file the service's last applied run holds, and the run generates again, merges from that version.
  const baseIds = new Map([...runBaseIds, ...previousIds]);
  const planned: MergedChange[] = [];
  const conflicts: FileConflict[] = [];
  for (const change of changes) {
    const rootPath = toRoot(change.path);
    const ours = targetIds.get(rootPath);
    // A file the run edits from its current text (a list, package.json) merges from the run's base.
    const fromPrevious = change.kind === 'write' && !linesAreIndependent(rootPath) && !mergesByKey(rootPath);
    const original = (fromPrevious ? baseIds : runBaseIds).get(rootPath);
    const idLength = (ours ?? original)?.length ?? 40;
    const plan = (action: FileAction, content?: Buffer): void => {
      planned.push({ path: change.path, action, phase: change.phase, task: change.task, agent: change.agent, edited: change.kind === 'write' && change.edited, ...(content ? { content } : {}) });
    };
    const conflict = (reason: string, hunks: ConflictHunk[] = []) => conflicts.push({ path: change.path, reason, hunks });

    if (change.kind === 'delete') {
      if (!ours) plan('absent');
      else if (base && original !== ours) conflict('changed on the branch since the run was made, and the run deletes it');
      else plan('delete');
      continue;
    }
    const theirs = gitBlobId(change.content, idLength);
    if (!ours) {
      if (base && original && original !== theirs) conflict('deleted on the branch since the run was made, and the run changes it');
      else if (base && original) plan('absent');
      else plan('add', change.content);
    } else if (ours === theirs) plan('unchanged');
    else if (base && original === ours) plan('modify', change.content);
    else if (base && original === theirs) plan('unchanged');
    else if (!base) {
      // No base to merge from: the run's version is taken only when it keeps every line the branch has.
      const kept = new Set(change.content.toString('utf8').split('\n'));
      const lost = (await repo.readBlob(ours)).toString('utf8').split('\n').filter((line) => !kept.has(line));
      if (lost.length) conflict(`the run records no base commit, so a three-way merge is impossible, and its version drops ${lost.length} line(s) the branch has`);
      else plan('modify', change.content);
    } else {
      const versions = { ours: await repo.readBlob(ours), base: original ? await repo.readBlob(original) : Buffer.alloc(0), theirs: change.content };
      const byKey = mergesByKey(rootPath) ? mergePackageJson(versions.base.toString('utf8'), versions.ours.toString('utf8'), versions.theirs.toString('utf8')) : undefined;
      if (byKey) {
        if (byKey.content === undefined) conflict(`the same keys changed on the branch and in the run: ${byKey.conflicts.map(describeKeyConflict).join(', ')}`);
        else plan('merge', Buffer.from(byKey.content, 'utf8'));
        continue;
      }
      const merged = await repo.mergeFile(versions);
      if (!merged) conflict('a binary file changed both on the branch and in the run');
      else if (!merged.conflicts.length) plan('merge', merged.content);
      else if (linesAreIndependent(rootPath) && merged.conflicts.every((h) => h.insertionsOnly)) plan('merge', (await repo.mergeFile(versions, true))!.content);
      else conflict('changed both on the branch and in the run', merged.conflicts);
    }
  }
  return { changes: planned, conflicts };
}

/**
 * The `.gitattributes` edit that gives the list files this run writes git's union merge driver,
 * so its branch merges with other runs' branches without conflict (see union-attributes.ts).
 */
async function attributesChange(repo: GitRepository, changes: readonly StagedChange[], target: string | undefined, toRoot: (p: string) => string): Promise<StagedChange | undefined> {
  const lists = changes.filter((c) => c.kind === 'write' && linesAreIndependent(c.path)).map((c) => c.path);
  if (!lists.length || changes.some((c) => c.path === '.gitattributes')) return undefined;
  const id = target ? (await repo.blobIds(target, [toRoot('.gitattributes')])).get(toRoot('.gitattributes')) : undefined;
  const current = id ? (await repo.readBlob(id)).toString('utf8') : '';
  const next = unionAttributes(current, lists);
  if (next === undefined) return undefined;
  const content = Buffer.from(next, 'utf8');
  return { kind: 'write', path: '.gitattributes', content, sha256: '', edited: false, phase: 'apply', task: 'apply', agent: 'orchestrate' };
}

/** One line per conflict: the file and each hunk, on the branch and in the run. */
export function describeConflict(conflict: FileConflict, branch: string): string {
  if (!conflict.hunks.length) return `${conflict.path}: ${conflict.reason}`;
  const hunks = conflict.hunks.map((h) => `${describeRange(h.ours)} on ${branch} against ${describeRange(h.theirs)} of the run`);
  return `${conflict.path}: ${conflict.reason}: ${hunks.join('; ')}`;
}
