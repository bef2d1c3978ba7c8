import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/** A path rule was broken. It goes back to the model as a tool error. */
export class PathError extends UserError {
  constructor(message: string) {
    super('PATH_REFUSED', message);
  }
}

/** Repository paths an agent may never write, whatever the run. */
const NEVER_WRITTEN = [/^\.git(\/|$)/, /^\.env(?!\.example$)/, /^expertise(\/|$)/, /^pending-commits(\/|$)/, /^node_modules(\/|$)/];

/**
 * Normalises a path an agent gave into a repository-relative path with forward slashes,
 * refusing absolute paths outside the workspace and any `..` that climbs out of it.
 */
export function toRepoPath(workspace: string, given: string): string {
  if (given.includes('\0')) throw new PathError('path contains a NUL byte');
  const absolute = path.resolve(workspace, given);
  const relative = path.relative(workspace, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new PathError(`"${given}" is outside the workspace; use a path relative to the repository root`);
  }
  return relative.split(path.sep).join('/');
}

/**
 * Resolves a path for reading: the real path (symlinks followed) must stay inside the real
 * workspace, so a link pointing out of the repository is refused.
 */
export function resolveReadPath(workspaceReal: string, repoPath: string): string {
  const absolute = path.join(workspaceReal, repoPath);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    return absolute;
  }
  const relative = path.relative(workspaceReal, real);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new PathError(`"${repoPath}" resolves outside the workspace (through a symbolic link); refused`);
  }
  return real;
}

/** Refuses writes to `.git/`, `.env*` (except `.env.example`), `expertise/` and run folders. */
export function assertWritable(repoPath: string): void {
  if (NEVER_WRITTEN.some((rule) => rule.test(repoPath))) {
    throw new PathError(`agents may not write "${repoPath}" (.git, .env files, expertise/ and pending-commits/ are protected)`);
  }
}

/** Notes (plans, reviews) are written as `notes/<name>` and kept out of the commit. */
export function isNotePath(repoPath: string): boolean {
  return repoPath.startsWith('notes/');
}
