import { hostname } from 'node:os';
import type { Manifest, RunOwner } from '../schema/manifest.js';

/** A run's status as a person sees it: the stored status, with dead `running` runs told apart. */
export type RunState = 'running' | 'complete' | 'failed' | 'interrupted' | 'awaiting-approval' | 'rejected' | 'applied' | 'discarded';

/** This process, recorded in the manifest while it writes a run. */
export function currentOwner(): RunOwner {
  return { pid: process.pid, host: hostname() };
}

/** True when a process with this id exists on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The status to show and act on. A `running` manifest whose process is gone (killed, crashed,
 * machine restarted) is `interrupted`, and so is a run cancelled with Ctrl-C: both can be
 * resumed or discarded, and neither can be applied. A run owned by another host, or written
 * before owners were recorded, cannot be checked and stays `running`.
 */
export function runState(manifest: Pick<Manifest, 'status' | 'owner'>, alive: (pid: number) => boolean = processAlive): RunState {
  switch (manifest.status) {
    case 'cancelled':
      return 'interrupted';
    case 'running': {
      const owner = manifest.owner;
      if (owner && owner.host === hostname() && !alive(owner.pid)) return 'interrupted';
      return 'running';
    }
    default:
      return manifest.status;
  }
}
