import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { RunOwner } from '../schema/manifest.js';
import { currentOwner, processAlive } from './run-state.js';
import { runPath } from './run-layout.js';

/**
 * Runs `work` holding `<run>/.lock`, so two `orchestrate apply` (or apply and discard) of one
 * run never both act. A lock left by a process that died is taken over.
 */
export async function withRunLock<T>(runDir: string, work: () => Promise<T>): Promise<T> {
  const file = runPath(runDir, 'lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(JSON.stringify(currentOwner()));
      } catch (error) {
        // A full disk: an empty lock would block every later apply, resume and discard.
        await handle.close();
        await rm(file, { force: true });
        throw error;
      }
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = RunOwner.safeParse(parseJson(await readFile(file, 'utf8').catch(() => '')));
      // An unreadable lock may be one being written this instant: treat it as held.
      const stale = holder.success && holder.data.host === currentOwner().host && !processAlive(holder.data.pid);
      if (!stale || attempt > 0) {
        const who = holder.success ? ` (pid ${holder.data.pid} on ${holder.data.host})` : '';
        throw new UserError('RUN_BUSY', `run ${path.basename(runDir)} is in use by another orchestrate (apply, discard or resume)${who}; wait for it, or delete ${file} if that process is gone`);
      }
      await rm(file, { force: true });
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
