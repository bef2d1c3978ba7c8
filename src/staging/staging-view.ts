import type { StagedDeletion, StagedFile } from '../schema/manifest.js';
import type { Provenance, StagingArea } from './staging-area.js';

/** What the tools need of the overlay. */
export type StagingOverlay = Pick<StagingArea, 'write' | 'remove' | 'read' | 'has' | 'files' | 'isRemoved' | 'filesDir'>;

/**
 * One task's view of the run's overlay: what it staged itself and what the tasks it needs
 * (directly or through others) staged. A sibling running at the same time is invisible, so what
 * a task reads does not depend on which task happens to finish first, and runs are reproducible.
 * Writes and removals go through to the whole overlay.
 */
export class StagingView implements StagingOverlay {
  private visible: ReadonlySet<string> | (() => ReadonlySet<string>);

  /** `visible`: the tasks whose writes it shows, or a function that works them out on first use. */
  constructor(
    private readonly area: StagingArea,
    visible: ReadonlySet<string> | (() => ReadonlySet<string>),
  ) {
    this.visible = visible;
  }

  private get visibleTasks(): ReadonlySet<string> {
    if (typeof this.visible === 'function') this.visible = this.visible();
    return this.visible;
  }

  get filesDir(): string {
    return this.area.filesDir;
  }

  write(repoPath: string, content: string, provenance: Provenance): ReturnType<StagingArea['write']> {
    return this.area.write(repoPath, content, provenance);
  }

  remove(repoPath: string, provenance: Provenance): Promise<StagedDeletion | undefined> {
    return this.area.remove(repoPath, provenance);
  }

  async read(repoPath: string): Promise<string | undefined> {
    return this.has(repoPath) ? this.area.read(repoPath) : undefined;
  }

  has(repoPath: string): boolean {
    const entry = this.area.entry(repoPath);
    return entry !== undefined && this.visibleTasks.has(entry.task);
  }

  isRemoved(repoPath: string): boolean {
    const deletion = this.area.deletion(repoPath);
    return deletion !== undefined && this.visibleTasks.has(deletion.task);
  }

  files(): StagedFile[] {
    return this.area.files().filter((file) => this.visibleTasks.has(file.task));
  }

  /** The notes the task may see. */
  notes(): StagedFile[] {
    return this.area.notes().filter((file) => this.visibleTasks.has(file.task));
  }

  /** The removals the task may see. */
  deletions(): StagedDeletion[] {
    return this.area.deletions().filter((deletion) => this.visibleTasks.has(deletion.task));
  }
}

/**
 * Each task's own id with every task it needs, directly or through others. Worked out for one
 * task when asked (a walk of its ancestors) and not kept: a run asks only for the agent tasks
 * that touch the staging area, so a long chain of function tasks costs nothing, and no run holds
 * every task's ancestors at once (quadratic in a chain).
 */
export class TaskVisibility {
  private readonly needs: Map<string, readonly string[]>;

  constructor(tasks: ReadonlyArray<{ id: string; needs: readonly string[] }>) {
    this.needs = new Map(tasks.map((task) => [task.id, task.needs]));
  }

  get(id: string): Set<string> {
    const seen = new Set<string>([id]);
    const stack = [...(this.needs.get(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const need of this.needs.get(next) ?? []) if (!seen.has(need)) stack.push(need);
    }
    return seen;
  }
}

/** Each task's visibility (see {@link TaskVisibility}), looked up by id. */
export function visibleTasks(tasks: ReadonlyArray<{ id: string; needs: readonly string[] }>): TaskVisibility {
  return new TaskVisibility(tasks);
}
