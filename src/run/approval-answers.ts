import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApprovalChannel } from '../schema/events.js';
import { runPath } from '../staging/run-layout.js';
import type { ApprovalReply } from './approvals.js';

/** An answer with where it was given, as claimed in the run folder. */
export type ClaimedReply = ApprovalReply & { via: ApprovalChannel };

/** How often the watch is backed up by a read (a watch may miss an event on some file systems). */
const POLL_MS = 500;

/** `<run>/answers/<phase>.json`. */
export function answerFile(runDir: string, phase: string): string {
  return path.join(runPath(runDir, 'answers'), `${encodeURIComponent(phase)}.json`);
}

/**
 * Claims the approval of `phase` with `reply`: the first claim wins. The answer is written to a
 * temp file and linked into place (link fails when the name exists), so a reader sees a whole
 * answer or none. Returns the answer that holds: `reply` when this claim won, else the earlier one.
 */
export async function claimAnswer(runDir: string, phase: string, reply: ClaimedReply): Promise<{ won: boolean; reply: ClaimedReply }> {
  const file = answerFile(runDir, phase);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify(reply));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
    return { won: true, reply };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const earlier = await readAnswer(runDir, phase);
    return { won: false, reply: earlier ?? reply };
  } finally {
    await rm(temp, { force: true });
  }
}

/** The claimed answer of `phase`, if any. */
export async function readAnswer(runDir: string, phase: string): Promise<ClaimedReply | undefined> {
  const text = await readFile(answerFile(runDir, phase), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as ClaimedReply;
    const via = ApprovalChannel.safeParse(value.via);
    if ((value.decision !== 'approved' && value.decision !== 'rejected') || typeof value.by !== 'string' || !via.success) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/**
 * Resolves with the answer another process claims for `phase` (at once if one is there), or
 * undefined when `signal` aborts first. fs.watch on the answers folder, with a read every
 * {@link POLL_MS} ms as a fallback; both are removed when it settles.
 */
export async function watchAnswer(runDir: string, phase: string, signal: AbortSignal): Promise<ClaimedReply | undefined> {
  const dir = runPath(runDir, 'answers');
  await mkdir(dir, { recursive: true });
  return new Promise((resolve) => {
    let watcher: FSWatcher | undefined;
    let done = false;
    let reading = false;
    const finish = (reply: ClaimedReply | undefined) => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(reply);
    };
    const check = () => {
      if (done || reading) return;
      reading = true;
      readAnswer(runDir, phase).then(
        (reply) => {
          reading = false;
          if (reply) finish(reply);
        },
        () => {
          reading = false;
        },
      );
    };
    const onAbort = () => finish(undefined);
    const timer = setInterval(check, POLL_MS);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      watcher = watch(dir, { persistent: false }, check);
      watcher.on('error', () => watcher?.close());
    } catch {
      // No watch here: the poll alone finds the answer.
    }
    if (signal.aborted) onAbort();
    else check();
  });
}
