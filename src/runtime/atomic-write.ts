import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { crashPoint } from './crash-point.js';

export interface AtomicWriteOptions {
  crashAt?: string;
  /** @default true */
  sync?: boolean;
  /**
   * With `sync`, also fsync the folder after the rename, so the new name survives a machine
   * crash. `false` for a file made again from a journal that is itself durable: its content is
   * fsynced before the rename (never an empty or half file), but the rename may be lost.
   * @default true
   */
  syncDirectory?: boolean;
  /** Make the folder first. @default true */
  mkdir?: boolean;
  /** Awaited after the temp file is written (and fsynced), before it takes the file's place. */
  beforeRename?: () => Promise<void> | void;
}

/**
 * Writes a file so that a crash leaves either the old content or the new, never a mix:
 * write a temp file beside it, fsync, rename over the target, fsync the directory.
 * `crashAt` names the moment between the temp file and the rename for the test-only crash hook
 * (src/runtime/crash-point.ts). With `sync: false` the fsyncs are left out: still all or nothing
 * for a process that dies (the rename), but an OS crash may lose the write; for files made again
 * from the journal (a run's report, its first manifest). `mkdir: false` when the folder exists.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const directory = path.dirname(file);
  const sync = options.sync !== false;
  if (options.mkdir !== false) await mkdir(directory, { recursive: true });
  const temp = path.join(directory, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(content);
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.();
    if (options.crashAt) crashPoint(options.crashAt);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (sync && options.syncDirectory !== false) await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems do not allow fsync on a directory; the rename is still atomic there.
  }
}

/**
 * {@link writeFileAtomic} made in place, without fsync: a temp file and a rename, all or nothing
 * for a process that dies. For a small file written where waiting on the thread pool would cost
 * more than the write (a run's first manifest); a machine crash may lose it.
 */
export function writeFileAtomicSync(file: string, content: string, options: Pick<AtomicWriteOptions, 'crashAt'> = {}): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content);
    if (options.crashAt) crashPoint(options.crashAt);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
