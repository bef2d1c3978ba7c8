import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../schema/manifest.js';
import type { RunReport } from '../schema/report.js';
import { plainYaml } from '../report/plain-yaml.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { crashPoint } from '../runtime/crash-point.js';
import { JournalWriter, type Durability } from './journal.js';
import { writeManifest } from './run-store.js';
import { StagingArea } from './staging-area.js';
import { runDirOf, runPath } from './run-layout.js';

export { runsDir } from './run-layout.js';

/** `pending-commits/<run-id>/`: the staged tree, notes, manifest, journal, log and report. */
export class RunFolder {
  readonly dir: string;
  readonly staging: StagingArea;
  readonly logFile: string;
  private journalWriter: JournalWriter | undefined;

  constructor(
    workspace: string,
    readonly runId: string,
    /** When the journal's events reach the disk. @default 'batched' */
    readonly durability: Durability = 'batched',
  ) {
    this.dir = runDirOf(workspace, runId);
    this.staging = new StagingArea(this.dir);
    this.logFile = runPath(this.dir, 'log');
  }

  /** Creates the folder; refuses to reuse one. */
  async create(): Promise<void> {
    await mkdir(path.dirname(this.dir), { recursive: true });
    // Run folders never reach the user's commits, whatever their own .gitignore says.
    await writeFile(path.join(path.dirname(this.dir), '.gitignore'), '# Staged orchestrate runs: reviewed and applied with orchestrate apply, never committed as they are.\n*\n', { flag: 'wx' }).catch(() => undefined);
    await mkdir(this.dir, { recursive: false });
    this.journalWriter = new JournalWriter(runPath(this.dir, 'journal'), { durability: this.durability });
  }

  /** Opens the folder of an interrupted run to resume it: the journal is appended to. */
  async reopen(): Promise<void> {
    if (!(await stat(this.dir).catch(() => undefined))?.isDirectory()) throw new Error(`run folder ${this.dir} does not exist`);
    this.journalWriter = new JournalWriter(runPath(this.dir, 'journal'), { resume: true, durability: this.durability });
  }

  get journal(): JournalWriter {
    if (!this.journalWriter) throw new Error('run folder not created');
    return this.journalWriter;
  }

  /** Flushes the journal first: the manifest never says more than the journal holds. */
  async writeManifest(manifest: Manifest): Promise<void> {
    await this.journalWriter?.flush();
    crashPoint('manifest:write');
    await writeManifest(this.dir, manifest);
  }

  writeReport(report: RunReport): Promise<void> {
    return writeFileAtomic(runPath(this.dir, 'report'), plainYaml(report), { crashAt: 'report:write' });
  }

  writeCommitMessage(message: string): Promise<void> {
    return writeFileAtomic(runPath(this.dir, 'commitMessage'), message);
  }

  /** Flushes and closes the journal. */
  async close(): Promise<void> {
    await this.journalWriter?.close();
  }
}
