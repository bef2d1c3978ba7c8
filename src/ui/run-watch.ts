import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Tells listeners which runs changed: a journal that grew, a manifest rewritten, a run folder
 * that appeared or went. It polls `pending-commits/` (a few stat calls per run) while someone
 * listens: fs.watch is not recursive on every platform Node supports, and a run is written by
 * other processes (a terminal, a worker), so the folder is the one place that sees them all.
 */
export class RunWatch {
  private readonly listeners = new Set<(runId: string) => void>();
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning = false;

  constructor(private readonly root: string, private readonly intervalMs = 250) {}

  /** Calls `listener` with the id of each run that changes; returns the unsubscribe. */
  subscribe(listener: (runId: string) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      void this.scan(false);
      this.timer = setInterval(() => void this.scan(true), this.intervalMs);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  close(): void {
    this.listeners.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async scan(notify: boolean): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
      const present = new Set<string>();
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        present.add(entry.name);
        const dir = path.join(this.root, entry.name);
        const [journal, manifest] = await Promise.all([stat(path.join(dir, 'journal.jsonl')).catch(() => undefined), stat(path.join(dir, 'manifest.json')).catch(() => undefined)]);
        const mark = `${journal?.size ?? -1}:${manifest?.mtimeMs ?? -1}:${manifest?.size ?? -1}`;
        if (this.seen.get(entry.name) !== mark) {
          this.seen.set(entry.name, mark);
          if (notify) this.emit(entry.name);
        }
      }
      for (const runId of [...this.seen.keys()]) {
        if (present.has(runId)) continue;
        this.seen.delete(runId);
        if (notify) this.emit(runId);
      }
    } finally {
      this.scanning = false;
    }
  }

  private emit(runId: string): void {
    for (const listener of this.listeners) listener(runId);
  }
}
