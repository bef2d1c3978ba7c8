import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crashPoint } from '../runtime/crash-point.js';
import type { RunEvent } from '../schema/events.js';

/**
 * Events made durable (fsynced) as they are written: a task's result before any task that needs
 * it starts (the scheduler releases dependents only after `task-end` is appended), the run's
 * start and end, and each step of the expertise merge. Other events are written at once but
 * left to the operating system to flush: a crash of the process loses none of them, and a crash
 * of the machine loses at most events that a resume does not need.
 */
const DURABLE: ReadonlySet<RunEvent['type']> = new Set(['run-start', 'task-end', 'run-end', 'expertise-merge']);

/**
 * Appends events to `journal.jsonl` in order, one JSON object per line. The journal is the
 * source of truth of a run: `orchestrate resume` folds it (see src/run/resume-fold.ts).
 */
export class JournalWriter {
  private fd: number | undefined;

  /**
   * Opens the journal for appending. With `resume`, a last line cut short by a crash is cut
   * off first, so the next event starts on a line of its own.
   */
  constructor(
    readonly file: string,
    options: { resume?: boolean } = {},
  ) {
    this.fd = openSync(file, 'a');
    if (options.resume) trimTornTail(this.fd, file);
  }

  append(event: RunEvent): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    if (DURABLE.has(event.type)) fsyncSync(this.fd);
    crashPoint(`${event.type}:${subjectOf(event)}`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** What an event is about, for crash points: its task, phase or domain, else `run`. */
function subjectOf(event: RunEvent): string {
  if ('task' in event) return event.task;
  if ('phase' in event) return event.phase;
  if ('domain' in event) return event.domain;
  return 'run';
}

/** Cuts the journal back to its last newline: an unterminated last line is a torn write. */
function trimTornTail(fd: number, file: string): void {
  const text = readFileSync(file);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  ftruncateSync(fd, text.lastIndexOf(0x0a) + 1);
  fsyncSync(fd);
}
