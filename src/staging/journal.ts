import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { RunEvent } from '../schema/events.js';

/**
 * Appends events to `journal.jsonl` in order, one JSON object per line. A task's end is
 * fsynced before the run goes on, so a completed task's result is durable.
 */
export class JournalWriter {
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  append(event: RunEvent): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    if (event.type === 'task-end' || event.type === 'run-end') fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
