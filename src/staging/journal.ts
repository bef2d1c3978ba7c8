import { close, closeSync, fdatasync, fstatSync, fsync, fsyncSync, ftruncateSync, open, openSync, readFileSync, write, writeSync } from 'node:fs';
import path from 'node:path';
import { crashHookArmed, crashPoint } from '../runtime/crash-point.js';
import type { RunEvent } from '../schema/events.js';

/**
 * When the journal's events reach the disk (LangGraph's `durability`, as data):
 * - `sync`: each event is written as it is appended, and a task's end (and the run's start and
 *   end) is fsynced before the engine goes on: a task's dependents start only once its result is
 *   durable. One fsync per task, on the event loop.
 * - `batched` (the default): events are kept in order in memory as they are appended and
 *   written together at the end of the event loop's turn, then fsynced off the event loop; what
 *   is appended while one write is in flight goes out in the next one. So every task that ends in
 *   the same turn, or while the previous flush is on the disk (a few milliseconds), shares one
 *   fsync, and no task waits for it.
 * - `exit`: events are written only when the run flushes (before the expertise merge, the
 *   manifest and the end of the run): the fastest, and a crash repeats the whole run.
 * In every mode the journal is flushed before anything irreversible: the expertise merge, a
 * manifest write, the end of the run (and so before an apply), and when the process exits.
 * A crash repeats at most the tasks whose end was not yet flushed (and those in flight).
 * The journal's folder (and the folder above it) is fsynced once, beside the journal's first
 * flush, so the journal's own name is as durable as what it holds.
 */
export const DURABILITY_MODES = ['sync', 'batched', 'exit'] as const;
export type Durability = (typeof DURABILITY_MODES)[number];

/** In `sync` mode, fsynced as written: what a resume needs to skip work. */
const DURABLE_SYNC: ReadonlySet<RunEvent['type']> = new Set(['run-start', 'task-end', 'run-end', 'expertise-merge']);
/**
 * Flushed before `append` returns, in every mode: an irreversible step follows at once. The
 * run's end is not one: the run awaits {@link JournalWriter.flush} after it, beside its last
 * manifest, so that flush is made off the event loop.
 */
const BARRIER: ReadonlySet<RunEvent['type']> = new Set(['expertise-merge']);

/** An event that makes its own journal line: exactly its JSON.stringify and a newline. */
interface JournalLine {
  toJournalLine(): string;
}

/** One write in flight: its bytes, where they go, and how many events they end at. */
interface Batch {
  data: Buffer;
  position: number;
  events: number;
  points: string[] | undefined;
  /** Set once its crash points have fired (a synchronous flush may overtake the write). */
  fired: boolean;
  /** Set once its write has ended (its bytes written, not yet synced, unless writeError). */
  written?: boolean;
  writeError?: unknown;
  /** Called when its write ends, by a batch that overtakes it and fsyncs for both. */
  onWritten?: (error?: unknown) => void;
  /** It fsyncs the journal's folders too, so no later batch's fsync may stand for it. */
  syncsFolders?: boolean;
}

/**
 * Appends events to `journal.jsonl` in order, one JSON object per line. The journal is the
 * source of truth of a run: `orchestrate resume` folds it (see src/run/resume-fold.ts).
 *
 * Writes are positional (the writer keeps the file's end itself), so a synchronous flush can
 * write again what an asynchronous write has in flight, at the same place, and order holds.
 */
export class JournalWriter {
  readonly durability: Durability;
  /** Writes made so far, each followed by one fsync (for tests and benchmarks). */
  flushes = 0;
  private fd: number | undefined;
  private end: number;
  private pending = new PendingBytes();
  private pendingPoints: string[] | undefined = crashHookArmed ? [] : undefined;
  private inFlight: Batch | undefined;
  /**
   * A batch written while {@link inFlight} is syncing, when someone awaits a flush (the run's
   * end): its fdatasync, made once both writes are done, covers both, so the end does not wait
   * for the batch in flight and then sync again.
   */
  private overtaking: Batch | undefined;
  private scheduled = false;
  private appended = 0;
  private durable = 0;
  private waiters: Array<{ upTo: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  private idle: (() => void) | undefined;
  private failure: unknown;
  /** The folders to fsync once with the first flush (the journal's name in them); emptied then. */
  private folders: string[];

  /**
   * Opens the journal. With `resume`, it is appended to, and a last line cut short by a crash is
   * cut off first, so the next event starts on a line of its own.
   */
  constructor(
    readonly file: string,
    options: { resume?: boolean; durability?: Durability } = {},
  ) {
    this.durability = options.durability ?? 'batched';
    // Not 'a': on Linux a positional write to an O_APPEND file goes to the end regardless.
    this.fd = openSync(file, options.resume ? 'r+' : 'w');
    if (options.resume) trimTornTail(this.fd, file);
    this.end = fstatSync(this.fd).size;
    // A resumed journal's name was made durable by the run that created it.
    this.folders = options.resume ? [] : [path.dirname(file), path.dirname(path.dirname(file))];
    if (OPEN.size === 0) process.on('exit', flushOpenJournals);
    OPEN.add(this);
  }

  append(event: RunEvent): void {
    if (this.fd === undefined) return;
    // The scheduler's task events write their own line (the same bytes, made faster).
    const line = typeof (event as Partial<JournalLine>).toJournalLine === 'function' ? (event as unknown as JournalLine).toJournalLine() : `${JSON.stringify(event)}\n`;
    const point = this.pendingPoints ? `${event.type}:${subjectOf(event)}` : undefined;
    this.appended++;
    if (this.durability === 'sync') {
      if (point) crashPoint(`appended:${point}`);
      this.end += writeSync(this.fd, line, this.end);
      if (DURABLE_SYNC.has(event.type)) {
        fsyncSync(this.fd);
        this.syncFoldersSync();
        this.flushes++;
      }
      this.durable = this.appended;
      if (point) crashPoint(point);
      return;
    }
    this.pending.push(line);
    if (point) {
      this.pendingPoints!.push(point);
      crashPoint(`appended:${point}`);
    }
    if (BARRIER.has(event.type)) this.flushSync();
    else if (this.durability === 'batched' && !this.scheduled && !this.inFlight) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /** Resolves once every event appended so far is written and fsynced. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.durable === this.appended || this.fd === undefined) return Promise.resolve();
    const upTo = this.appended;
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      if (!this.inFlight) this.kick();
      else if (!this.overtaking && !this.inFlight.syncsFolders) this.overtake();
    });
  }

  /** Writes and fsyncs every event appended so far, before returning. */
  flushSync(): void {
    if (this.fd === undefined || this.durable === this.appended) return;
    const batch = this.inFlight;
    const overtaking = this.overtaking;
    // Written again where it goes: the same bytes at the same place, whichever lands first.
    if (batch) writeAllSync(this.fd, batch);
    if (overtaking) writeAllSync(this.fd, overtaking);
    const lines = this.take();
    if (lines) {
      this.end += lines.data.length;
      writeAllSync(this.fd, lines);
    }
    fsyncSync(this.fd);
    this.syncFoldersSync();
    this.flushes++;
    if (batch) this.fire(batch);
    if (overtaking) this.fire(overtaking);
    if (lines) this.fire(lines);
    this.settle(this.appended);
  }

  /** Flushes, waits for a write in flight, and closes the file. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    this.flushSync();
    // The fd may not be closed under a write in flight: its number could be reused meanwhile.
    while (this.inFlight || this.overtaking) await new Promise<void>((resolve) => (this.idle = resolve));
    OPEN.delete(this);
    if (OPEN.size === 0) process.removeListener('exit', flushOpenJournals);
    closeSync(this.fd);
    this.fd = undefined;
    this.pending.release();
  }

  /** Hands what is pending to one asynchronous write and fsync; chains the next batch. */
  private readonly kick = (): void => {
    this.scheduled = false;
    if (this.inFlight || this.overtaking || this.fd === undefined || this.failure) return;
    const batch = this.take();
    if (!batch) return;
    this.inFlight = batch;
    this.flushes++;
    const fd = this.fd;
    this.end += batch.data.length;
    // The first flush fsyncs the folders beside the journal's write and fdatasync: both must
    // be on the disk before the batch counts as durable.
    const folders = this.folders.splice(0);
    batch.syncsFolders = folders.length > 0;
    let waiting = 1 + folders.length;
    let failed: unknown;
    const joined = (error?: unknown) => {
      failed ??= error ?? undefined;
      if (--waiting === 0) this.done(batch, failed);
    };
    for (const folder of folders) syncFolder(folder, joined);
    writeAll(fd, batch, 0, (error) => {
      batch.written = true;
      batch.writeError = error ?? undefined;
      const onWritten = batch.onWritten;
      batch.onWritten = undefined;
      onWritten?.(error ?? undefined);
      if (error) return joined(error);
      fdatasync(fd, (syncError) => joined(syncError ?? undefined));
    });
  };

  /**
   * Writes what is pending beside the batch in flight (positional: it goes after it) and, once
   * both writes are done, fdatasyncs: that covers both, whichever fdatasync ends first.
   */
  private overtake(): void {
    const ahead = this.inFlight!;
    const batch = this.take();
    if (!batch || this.fd === undefined) return;
    this.overtaking = batch;
    this.flushes++;
    const fd = this.fd;
    this.end += batch.data.length;
    writeAll(fd, batch, 0, (error) => {
      if (error) return this.overtaken(ahead, batch, error);
      const sync = (aheadError?: unknown): void => {
        if (aheadError) return this.overtaken(ahead, batch, aheadError);
        fdatasync(fd, (syncError) => this.overtaken(ahead, batch, syncError ?? undefined));
      };
      // A synchronous flush may have written and synced the batch ahead meanwhile (fired).
      if (ahead.fired) sync();
      else if (ahead.written) sync(ahead.writeError);
      else ahead.onWritten = sync;
    });
  }

  private overtaken(ahead: Batch, batch: Batch, error: unknown): void {
    this.overtaking = undefined;
    if (error && !batch.fired) {
      this.failure ??= error;
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } else if (!error) {
      // Both writes were done before this fdatasync: the batch ahead is on the disk too.
      this.fire(ahead);
      this.fire(batch);
      this.settle(Math.max(this.durable, batch.events));
    }
    if (this.inFlight) return;
    const idle = this.idle;
    this.idle = undefined;
    if (!this.failure && this.pending.size && (this.durability === 'batched' || this.waiters.length)) this.kick();
    idle?.();
  }

  /** The folders' fsync, on the event loop, when a synchronous flush is the first. */
  private syncFoldersSync(): void {
    for (const folder of this.folders.splice(0)) {
      let fd: number | undefined;
      try {
        fd = openSync(folder, 'r');
        fsyncSync(fd);
      } catch {
        // Some filesystems do not allow fsync on a directory; the journal's own fsync still holds.
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
  }

  private done(batch: Batch, error: unknown): void {
    this.inFlight = undefined;
    const idle = this.idle;
    this.idle = undefined;
    if (error && !batch.fired) {
      this.failure = error;
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } else {
      this.fire(batch);
      this.settle(Math.max(this.durable, batch.events));
      if (!this.overtaking && this.pending.size && (this.durability === 'batched' || this.waiters.length)) this.kick();
    }
    idle?.();
  }

  /** The pending lines as one batch (its place in the file reserved by the caller). */
  private take(): Batch | undefined {
    if (this.pending.size === 0) return undefined;
    const batch: Batch = { data: this.pending.take(), position: this.end, events: this.appended, points: this.pendingPoints, fired: false };
    if (this.pendingPoints) this.pendingPoints = [];
    return batch;
  }

  /** The crash points of a batch's events, now that they are durable. */
  private fire(batch: Batch): void {
    if (batch.fired) return;
    batch.fired = true;
    for (const point of batch.points ?? []) crashPoint(point);
  }

  private settle(durable: number): void {
    this.durable = durable;
    if (this.waiters.length === 0) return;
    const left = [];
    for (const waiter of this.waiters) {
      if (waiter.upTo <= durable) waiter.resolve();
      else left.push(waiter);
    }
    this.waiters = left;
  }
}

/**
 * The lines appended since the last write, encoded into one growing buffer as they come: no
 * array of strings held until the flush, no joined copy of them, no second copy to bytes.
 */
class PendingBytes {
  private buffer = Buffer.allocUnsafe(PENDING_CHUNK);
  private start = 0;
  private used = 0;

  /** Bytes pushed since the last take. */
  get size(): number {
    return this.used - this.start;
  }

  push(line: string): void {
    const most = line.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.used + most > this.buffer.length) this.grow(most);
    this.used += this.buffer.write(line, this.used);
  }

  /** What was pushed since the last take, as a view: later pushes never write over it. */
  take(): Buffer {
    const data = this.buffer.subarray(this.start, this.used);
    this.start = this.used;
    return data;
  }

  /** Lets the buffer go (the journal is closed): a run's result may be kept long after it. */
  release(): void {
    this.buffer = EMPTY;
    this.start = this.used = 0;
  }

  /** A larger buffer holding only what is pending; the old one stays with any batch taken from it. */
  private grow(most: number): void {
    const size = this.used - this.start;
    const next = Buffer.allocUnsafe(Math.max(PENDING_CHUNK, 2 * (size + most)));
    this.buffer.copy(next, 0, this.start, this.used);
    this.buffer = next;
    this.start = 0;
    this.used = size;
  }
}

const PENDING_CHUNK = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** Journals open in this process: `process.exit` (a second Ctrl-C) still writes what they hold. */
const OPEN = new Set<JournalWriter>();
function flushOpenJournals(): void {
  for (const journal of OPEN) journal.flushSync();
}

function writeAllSync(fd: number, batch: Batch): void {
  for (let from = 0; from < batch.data.length; ) from += writeSync(fd, batch.data, from, batch.data.length - from, batch.position + from);
}

/** Writes all of a batch at its position (a regular file may take it in more than one write). */
function writeAll(fd: number, batch: Batch, from: number, callback: (error: NodeJS.ErrnoException | null) => void): void {
  write(fd, batch.data, from, batch.data.length - from, batch.position + from, (error, written) => {
    if (error) return callback(error);
    if (from + written < batch.data.length) return writeAll(fd, batch, from + written, callback);
    callback(null);
  });
}

/** What an event is about, for crash points: its task, phase or domain, else `run`. */
function subjectOf(event: RunEvent): string {
  if ('task' in event) return event.task;
  if ('phase' in event) return event.phase;
  if ('domain' in event) return event.domain;
  return 'run';
}

/** fsyncs a folder off the event loop; a filesystem that cannot fsync a directory is no error. */
function syncFolder(folder: string, callback: (error?: unknown) => void): void {
  open(folder, 'r', (openError, fd) => {
    if (openError) return callback();
    fsync(fd, () => close(fd, () => callback()));
  });
}

/** Cuts the journal back to its last newline: an unterminated last line is a torn write. */
function trimTornTail(fd: number, file: string): void {
  const text = readFileSync(file);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  ftruncateSync(fd, text.lastIndexOf(0x0a) + 1);
  fsyncSync(fd);
}
