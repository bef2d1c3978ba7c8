import { mkdirSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../schema/manifest.js';
import type { RunReport } from '../schema/report.js';
import { plainYaml } from '../report/plain-yaml.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { crashPoint } from '../runtime/crash-point.js';
import { JournalWriter, type Durability } from './journal.js';
import { writeManifest, writeManifestSync } from './run-store.js';
import { StagingArea } from './staging-area.js';
import { runDirOf, runPath } from './run-layout.js';

export { runsDir } from './run-layout.js';

/** The report's task list is written one task to a line (see plainYaml). */
const REPORT_FLOW: ReadonlySet<string> = new Set(['tasks']);

/** What a run appends its events to: the journal on disk, or nothing for an ephemeral run. */
export type RunJournal = Pick<JournalWriter, 'append' | 'flush' | 'close'>;

/** The journal of an ephemeral run (`persist: false`): its events go nowhere. */
const NO_JOURNAL: RunJournal = { append: () => undefined, flush: () => Promise.resolve(), close: () => Promise.resolve() };

/**
 * `pending-commits/<run-id>/`: the staged tree, notes, manifest, journal, log and report.
 * With `persist: false` (an ephemeral run of code functions, which stages nothing) it writes
 * nothing at all: no folder, journal, manifest, report or log.
 */
export class RunFolder {
  readonly dir: string;
  readonly staging: StagingArea;
  readonly logFile: string;
  readonly persist: boolean;
  private journalWriter: RunJournal | undefined;
  /** The last manifest write: each waits for the one before, so they take their place in order. */
  private manifestWrite: Promise<void> = Promise.resolve();

  constructor(
    workspace: string,
    readonly runId: string,
    /** When the journal's events reach the disk. @default 'batched' */
    readonly durability: Durability = 'batched',
    options: { persist?: boolean } = {},
  ) {
    this.dir = runDirOf(workspace, runId);
    this.staging = new StagingArea(this.dir);
    this.logFile = runPath(this.dir, 'log');
    this.persist = options.persist !== false;
  }

  /** Creates the folder; refuses to reuse one. */
  async create(): Promise<void> {
    if (!this.persist) {
      this.journalWriter = NO_JOURNAL;
      return;
    }
    // Three small metadata calls: made in place, cheaper than three trips through the thread pool.
    mkdirSync(path.dirname(this.dir), { recursive: true });
    // Run folders never reach the user's commits, whatever their own .gitignore says.
    try {
      writeFileSync(path.join(path.dirname(this.dir), '.gitignore'), '# Staged orchestrate runs: reviewed and applied with orchestrate apply, never committed as they are.\n*\n', { flag: 'wx' });
    } catch {
      // It exists (or cannot be made, which the run folder's own mkdir says next).
    }
    mkdirSync(this.dir, { recursive: false });
    this.journalWriter = new JournalWriter(runPath(this.dir, 'journal'), { durability: this.durability });
  }

  /** Opens the folder of an interrupted run to resume it: the journal is appended to. */
  async reopen(): Promise<void> {
    if (!(await stat(this.dir).catch(() => undefined))?.isDirectory()) throw new Error(`run folder ${this.dir} does not exist`);
    this.journalWriter = new JournalWriter(runPath(this.dir, 'journal'), { resume: true, durability: this.durability });
  }

  get journal(): RunJournal {
    if (!this.journalWriter) throw new Error('run folder not created');
    return this.journalWriter;
  }

  /**
   * The run's first manifest, which says only that it is running: written in place before the
   * run's first event, so no event reaches the journal before the run has a manifest (a resume
   * needs one). Atomic, not fsynced: a machine crash that lost it leaves a journal without a
   * manifest (the journal's first flush fsyncs the folder, and with it this rename).
   */
  writeFirstManifest(manifest: Manifest): void {
    if (!this.persist) return;
    writeManifestSync(this.dir, manifest, { crashAt: 'manifest:write' });
  }

  /**
   * Flushes the journal first: the manifest never says more than the journal holds. Writes are
   * made in the order they are asked for, each after the one before has taken its place.
   * - `final: true` for the run's last manifest: its content is fsynced beside the journal's
   *   last flush, then it takes its place; the folder is not fsynced again, so a machine crash
   *   may lose the rename (the run then reads as interrupted, and a resume finishes it from the
   *   journal without running any task again). A killed process leaves the old file or the new.
   * - otherwise (a run waiting for an approval) the rename is fsynced too.
   */
  writeManifest(manifest: Manifest, options: { final?: boolean } = {}): Promise<void> {
    if (!this.persist) return Promise.resolve();
    // The journal's flush and the manifest's own write and fsync go to the disk together; the
    // manifest takes its place (the rename) only once the journal holds everything it says.
    const flushed = this.journalWriter?.flush() ?? Promise.resolve();
    flushed.catch(() => undefined); // awaited below; a write that fails first must not leave it unhandled
    const previous = this.manifestWrite;
    const written = writeManifest(this.dir, manifest, {
      ...(options.final ? { syncDirectory: false } : {}),
      mkdir: false,
      beforeRename: async () => {
        await flushed;
        await previous;
        crashPoint('manifest:write');
      },
    });
    this.manifestWrite = written.catch(() => undefined);
    return written;
  }

  /** The report: everything in it is also in the journal's events, so it is written without fsync. */
  writeReport(report: RunReport): Promise<void> {
    if (!this.persist) return Promise.resolve();
    return writeFileAtomic(runPath(this.dir, 'report'), plainYaml(report, { flow: REPORT_FLOW }), { crashAt: 'report:write', sync: false, mkdir: false });
  }

  writeCommitMessage(message: string): Promise<void> {
    if (!this.persist) return Promise.resolve();
    return writeFileAtomic(runPath(this.dir, 'commitMessage'), message, { mkdir: false });
  }

  /** Waits for the manifest writes, flushes and closes the journal. */
  async close(): Promise<void> {
    await this.manifestWrite;
    await this.journalWriter?.close();
  }
}
