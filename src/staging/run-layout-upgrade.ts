import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { RUN_LAYOUT, runPath } from './run-layout.js';

/** Where the old staged tree is while it moves: a crash between the two renames is finished from here. */
const MOVING = '.files-upgrading';

/**
 * Moves a run staged before the staged tree moved under `files/node_modules/` (the old layout put
 * each file at `files/<path>`) into the current layout, so apply, discard, resume, the page and
 * `expertise validate` read it like any other run and a person upgrading orchestrate keeps their
 * staged runs. Two renames, each atomic: `files` -> `.files-upgrading` -> `files/node_modules`; a
 * crash between them is finished by the next call, and two processes racing both end on the
 * current layout. A run that already has the current layout, or no staged tree, is left alone.
 * Rewriting the folder once, rather than teaching every reader two layouts, keeps one layout in
 * the code (`stagedPath`) and lets a resumed old run add files beside the ones it has.
 *
 * @example
 * await upgradeRunLayout(runDirOf(workspace, runId)); // true when it moved an old tree
 */
export async function upgradeRunLayout(runDir: string): Promise<boolean> {
  const tree = runPath(runDir, 'files');
  const outer = path.dirname(tree);
  const moving = path.join(runDir, MOVING);
  if (!(await exists(moving))) {
    if (!(await isOldTree(outer))) return false;
    const moved = await rename(outer, moving).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    // Another process moved it first: it finishes the move (or already has).
    if (!moved && !(await exists(moving))) return exists(tree);
  }
  await mkdir(outer, { recursive: true });
  await rename(moving, tree).catch((error: NodeJS.ErrnoException) => {
    // Gone: another process finished the move. Anything else (a tree already there) is a real problem.
    if (error.code !== 'ENOENT') throw error;
  });
  return true;
}

/** `files/` with staged files in it and no `node_modules` folder: a tree in the old layout. */
async function isOldTree(outer: string): Promise<boolean> {
  const entries = await readdir(outer).catch(() => [] as string[]);
  const inner = path.basename(RUN_LAYOUT.files);
  return entries.length > 0 && !entries.includes(inner);
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
