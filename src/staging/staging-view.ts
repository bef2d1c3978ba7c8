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
  constructor(
    private readonly area: StagingArea,
    private readonly visibleTasks: ReadonlySet<string>,
  ) {}

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
}

/** Each task id with itself and every task it needs, directly or through others. */
export function visibleTasks(tasks: ReadonlyArray<{ id: string; needs: readonly string[] }>): Map<string, Set<string>> {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const closure = new Map<string, Set<string>>();
  // Tasks are planned in declaration order and the graph is acyclic, but needs may point
  // forward, so resolve on demand with an explicit stack instead of relying on order.
  const resolve = (id: string): Set<string> => {
    const done = closure.get(id);
    if (done) return done;
    const seen = new Set<string>([id]);
    const stack = [...(byId.get(id)?.needs ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const known = closure.get(next);
      if (known) for (const t of known) seen.add(t);
      else stack.push(...(byId.get(next)?.needs ?? []));
    }
    closure.set(id, seen);
    return seen;
  };
  for (const task of tasks) resolve(task.id);
  return closure;
}
