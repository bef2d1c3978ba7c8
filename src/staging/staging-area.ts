import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Provenance, StagedDeletion, StagedFile } from '../schema/manifest.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { isNotePath } from '../tools/paths.js';
import { runPath, stagedPath } from './run-layout.js';

export type { Provenance } from '../schema/manifest.js';

/**
 * A run's staging overlay: `files/` holds the tree to commit, `notes/` the plans and reviews,
 * and a list of deletions holds the repository files the run removes.
 * Writing the same path again replaces the entry, so a re-run task never duplicates a file;
 * writing a path undoes its deletion and removing a path undoes its write.
 */
export class StagingArea {
  readonly filesDir: string;
  readonly notesDir: string;
  private readonly entries = new Map<string, StagedFile>();
  private readonly removals = new Map<string, StagedDeletion>();

  constructor(readonly runDir: string) {
    this.filesDir = runPath(runDir, 'files');
    this.notesDir = runPath(runDir, 'notes');
  }

  /** Writes a repository path (or `notes/<name>`) into the overlay and records its provenance. */
  async write(repoPath: string, content: string, provenance: Provenance): Promise<StagedFile & { kind: 'file' | 'note' }> {
    const kind = isNotePath(repoPath) ? 'note' : 'file';
    await writeFileAtomic(this.locate(repoPath), content, { crashAt: 'stage:write' });
    const entry: StagedFile = {
      path: repoPath,
      sha256: createHash('sha256').update(content).digest('hex'),
      size: Buffer.byteLength(content),
      ...provenance,
    };
    this.entries.set(repoPath, entry);
    this.removals.delete(repoPath);
    return { ...entry, kind };
  }

  /**
   * Stages the removal of a repository file: `orchestrate apply` will `git rm` it. A write
   * staged earlier for the same path is dropped. For a `notes/` path it only drops the note,
   * since notes are never in the repository.
   *
   * @example
   * await staging.remove('src/integrations/twilio/client.ts', { phase: 'remove', task: 'remove-files', agent: 'integration-specialist' });
   */
  async remove(repoPath: string, provenance: Provenance): Promise<StagedDeletion | undefined> {
    if (this.entries.delete(repoPath)) await rm(this.locate(repoPath), { force: true });
    if (isNotePath(repoPath)) return undefined;
    const deletion: StagedDeletion = { path: repoPath, ...provenance };
    this.removals.set(repoPath, deletion);
    return deletion;
  }

  /**
   * Sets the overlay's entries and deletions from a resumed run's journal (see
   * src/run/resume-staging.ts, which also makes the files on disk match them).
   */
  restore(files: readonly StagedFile[], deletions: readonly StagedDeletion[]): void {
    this.entries.clear();
    this.removals.clear();
    for (const file of files) this.entries.set(file.path, file);
    for (const deletion of deletions) this.removals.set(deletion.path, deletion);
  }

  /** Where a staged path lives on disk. */
  fileOf(repoPath: string): string {
    return this.locate(repoPath);
  }

  /** The staged content of a path, or undefined when nothing is staged there. */
  async read(repoPath: string): Promise<string | undefined> {
    if (!this.entries.has(repoPath)) return undefined;
    return readFile(this.locate(repoPath), 'utf8');
  }

  has(repoPath: string): boolean {
    return this.entries.has(repoPath);
  }

  /** The staged entry of a path, with its provenance. */
  entry(repoPath: string): StagedFile | undefined {
    return this.entries.get(repoPath);
  }

  /** The staged removal of a path, with its provenance. */
  deletion(repoPath: string): StagedDeletion | undefined {
    return this.removals.get(repoPath);
  }

  /** True when the run removes this repository path. */
  isRemoved(repoPath: string): boolean {
    return this.removals.has(repoPath);
  }

  /** Staged removals of repository files, sorted by path. */
  deletions(): StagedDeletion[] {
    return [...this.removals.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Staged repository files, sorted by path. */
  files(): StagedFile[] {
    return this.sorted().filter((entry) => !isNotePath(entry.path));
  }

  /** Staged notes, sorted by path. */
  notes(): StagedFile[] {
    return this.sorted().filter((entry) => isNotePath(entry.path));
  }

  private sorted(): StagedFile[] {
    return [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private locate(repoPath: string): string {
    return stagedPath(this.runDir, repoPath);
  }
}
