import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StagedFile } from '../schema/manifest.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { isNotePath } from '../tools/paths.js';

export interface Provenance {
  phase: string;
  task: string;
  agent: string;
}

/**
 * A run's staging overlay: `files/` holds the tree to commit, `notes/` the plans and reviews.
 * Writing the same path again replaces the entry, so a re-run task never duplicates a file.
 */
export class StagingArea {
  readonly filesDir: string;
  readonly notesDir: string;
  private readonly entries = new Map<string, StagedFile>();

  constructor(readonly runDir: string) {
    this.filesDir = path.join(runDir, 'files');
    this.notesDir = path.join(runDir, 'notes');
  }

  /** Writes a repository path (or `notes/<name>`) into the overlay and records its provenance. */
  async write(repoPath: string, content: string, provenance: Provenance): Promise<StagedFile & { kind: 'file' | 'note' }> {
    const kind = isNotePath(repoPath) ? 'note' : 'file';
    await writeFileAtomic(this.locate(repoPath), content);
    const entry: StagedFile = {
      path: repoPath,
      sha256: createHash('sha256').update(content).digest('hex'),
      size: Buffer.byteLength(content),
      ...provenance,
    };
    this.entries.set(repoPath, entry);
    return { ...entry, kind };
  }

  /** The staged content of a path, or undefined when nothing is staged there. */
  async read(repoPath: string): Promise<string | undefined> {
    if (!this.entries.has(repoPath)) return undefined;
    return readFile(this.locate(repoPath), 'utf8');
  }

  has(repoPath: string): boolean {
    return this.entries.has(repoPath);
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
    return isNotePath(repoPath)
      ? path.join(this.notesDir, ...repoPath.slice('notes/'.length).split('/'))
      : path.join(this.filesDir, ...repoPath.split('/'));
  }
}
