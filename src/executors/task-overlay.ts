import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Provenance, StagedDeletion, StagedFile } from '../schema/manifest.js';
import type { TaskSpec } from '../schema/task-spec.js';
import { runPath, stagedPath } from '../staging/run-layout.js';
import type { StagingOverlay } from '../staging/staging-view.js';
import { isNotePath } from '../tools/paths.js';

type OwnChange = { content: string; entry: StagedFile } | { removed: StagedDeletion | undefined };

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * One attempt's staging, kept apart from the run: it reads what the task may see (its own
 * writes, then what it and the tasks it needs staged, read from the run folder or from the
 * contents sent with the task) and keeps its
 * own writes and removals in memory. The executor returns them in its result and the run stages
 * them; nothing the attempt does touches the run folder.
 *
 * `run_tests` needs the tree on disk: with a scratch directory, the visible staged files are
 * copied there first and every write and removal is mirrored into it.
 */
export class TaskOverlay implements StagingOverlay {
  private readonly visible = new Map<string, StagedFile>();
  private readonly removedBefore: Set<string>;
  private readonly own = new Map<string, OwnChange>();

  private constructor(
    private readonly staging: TaskSpec['staging'],
    private readonly scratch: string | undefined,
  ) {
    for (const file of staging.files) this.visible.set(file.path, file);
    this.removedBefore = new Set(staging.removed);
  }

  /** An overlay over the spec's staging; with `scratch`, the visible files are copied into `<scratch>/files`. */
  static async open(staging: TaskSpec['staging'], scratch?: string): Promise<TaskOverlay> {
    const overlay = new TaskOverlay(staging, scratch);
    if (scratch) {
      for (const file of staging.files) {
        if (isNotePath(file.path)) continue;
        const target = overlay.scratchFile(file.path);
        await mkdir(path.dirname(target), { recursive: true });
        const content = staging.contents?.[file.path];
        if (content !== undefined) await writeFile(target, content);
        else if (!staging.contents) await copyFile(stagedPath(staging.runDir, file.path), target).catch(() => undefined);
      }
    }
    return overlay;
  }

  /** The staged tree on disk, for `run_tests`: the scratch copy. */
  get filesDir(): string {
    if (!this.scratch) throw new Error('this task has no scratch tree (its agent has no run_tests)');
    return runPath(this.scratch, 'files');
  }

  async write(repoPath: string, content: string, provenance: Provenance): Promise<StagedFile & { kind: 'file' | 'note' }> {
    const entry: StagedFile = { path: repoPath, sha256: createHash('sha256').update(content).digest('hex'), size: Buffer.byteLength(content), ...provenance };
    this.own.delete(repoPath); // a path written again moves to the end: the order the run applies
    this.own.set(repoPath, { content, entry });
    if (this.scratch && !isNotePath(repoPath)) {
      const target = this.scratchFile(repoPath);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    return { ...entry, kind: isNotePath(repoPath) ? 'note' : 'file' };
  }

  async remove(repoPath: string, provenance: Provenance): Promise<StagedDeletion | undefined> {
    const removed = isNotePath(repoPath) ? undefined : { path: repoPath, ...provenance };
    this.own.delete(repoPath);
    this.own.set(repoPath, { removed });
    if (this.scratch && !isNotePath(repoPath)) await rm(this.scratchFile(repoPath), { force: true });
    return removed;
  }

  async read(repoPath: string): Promise<string | undefined> {
    const change = this.own.get(repoPath);
    if (change) return 'content' in change ? change.content : undefined;
    if (!this.visible.has(repoPath)) return undefined;
    // Contents sent with the task are all it reads: the run folder may be on another host.
    if (this.staging.contents) return this.staging.contents[repoPath];
    return readFile(stagedPath(this.staging.runDir, repoPath), 'utf8').catch(() => undefined);
  }

  has(repoPath: string): boolean {
    const change = this.own.get(repoPath);
    return change ? 'content' in change : this.visible.has(repoPath);
  }

  isRemoved(repoPath: string): boolean {
    const change = this.own.get(repoPath);
    return change ? 'removed' in change && change.removed !== undefined : this.removedBefore.has(repoPath);
  }

  /** Staged repository files as the task sees them, sorted by path. */
  files(): StagedFile[] {
    const files = new Map<string, StagedFile>();
    for (const [p, file] of this.visible) if (!isNotePath(p)) files.set(p, file);
    for (const [p, change] of this.own) {
      if ('content' in change && !isNotePath(p)) files.set(p, change.entry);
      else files.delete(p);
    }
    return [...files.values()].sort(byPath);
  }

  /** What the attempt staged, for its result: the last write or removal of each path, in order. */
  changes(): { writes: { path: string; content: string }[]; removals: string[] } {
    const writes: { path: string; content: string }[] = [];
    const removals: string[] = [];
    for (const [p, change] of this.own) {
      if ('content' in change) writes.push({ path: p, content: change.content });
      else removals.push(p);
    }
    return { writes, removals };
  }

  private scratchFile(repoPath: string): string {
    return stagedPath(this.scratch!, repoPath);
  }
}
