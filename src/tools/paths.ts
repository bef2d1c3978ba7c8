import { existsSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/** A path rule was broken. It goes back to the model as a tool error. */
export class PathError extends UserError {
  constructor(message: string) {
    super('PATH_REFUSED', message);
  }
}

/** A path that holds what the secret scan recognises; the message never repeats the path. */
export class SecretInPathError extends PathError {
  constructor(findings: string) {
    super(`refused: the file name holds what looks like a secret (${findings}); name the file without it`);
  }
}

/**
 * Repository paths an agent may never write, whatever the run. Case-insensitive, since macOS and
 * Windows file systems are: `.GIT/config` is `.git/config` there.
 */
const NEVER_WRITTEN = [
  /(^|\/)\.git(\/|$)/i,
  /(^|\/)\.env(?!\.example$)[^/]*$/i,
  /^expertise(\/|$)/i,
  /^pending-commits(\/|$)/i,
  /(^|\/)node_modules(\/|$)/i,
];

/**
 * Repository paths an agent may never read: git internals (remote URLs carry tokens), env files,
 * the runs' folders (other runs' staged files, journals and reports) and the expertise folder
 * (agents are given its excerpt in their prompt; the file itself holds every run's provenance).
 */
const NEVER_READ = [/(^|\/)\.git(\/|$)/i, /(^|\/)\.env(?!\.example$)[^/]*$/i, /^pending-commits(\/|$)/i, /^expertise(\/|$)/i];

/**
 * Normalises a path an agent gave into a repository-relative path with forward slashes,
 * refusing absolute paths outside the workspace and any `..` that climbs out of it.
 */
export function toRepoPath(workspace: string, given: string): string {
  if (given.includes('\0')) throw new PathError('path contains a NUL byte');
  // A Windows absolute path (C:\x, C:/x, C:x, \\server\share) is a relative name on POSIX; refused on every OS.
  if (/^[A-Za-z]:|^\\\\/.test(given)) {
    throw new PathError(`"${given}" is a Windows absolute path; use a path relative to the repository root, with forward slashes`);
  }
  const absolute = path.resolve(workspace, given.replace(/\\/g, '/'));
  const relative = path.relative(workspace, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new PathError(`"${given}" is outside the workspace; use a path relative to the repository root`);
  }
  return relative.split(path.sep).join('/');
}

/** Whether an agent may read the path: not `.git/`, `.env*` files (except `.env.example`), `pending-commits/` or `expertise/`. */
export function isReadable(repoPath: string): boolean {
  return !NEVER_READ.some((rule) => rule.test(repoPath));
}

/** Refuses reading `.git/`, `.env*` files (except `.env.example`), `pending-commits/` and `expertise/`. */
export function assertReadable(repoPath: string): void {
  if (!isReadable(repoPath)) {
    throw new PathError(`"${repoPath}" is not for agents to read: .git internals and .env files may hold secrets, pending-commits/ and expertise/ are the engine's`);
  }
}

/**
 * Resolves a path for reading: the real path (symlinks followed) must stay inside the real
 * workspace and obey the read rules, so a link pointing out of the repository, or at `.env`,
 * is refused. A path that does not exist resolves to where it would be.
 */
export function resolveReadPath(workspaceReal: string, repoPath: string): string {
  assertReadable(repoPath);
  const real = realRepoPath(workspaceReal, repoPath);
  assertReadable(real.repoPath);
  return real.absolute;
}

/**
 * Checks a path for writing, on the real path: the given path and the path it resolves to through
 * any symbolic links must both stay inside the workspace and off the protected paths. Writes go to
 * the staging folder, but `orchestrate apply` later writes the same path into the repository.
 */
export function assertWritable(repoPath: string, workspaceReal?: string): void {
  const refuse = (p: string) => {
    if (NEVER_WRITTEN.some((rule) => rule.test(p))) {
      throw new PathError(`agents may not write "${p}" (.git, .env files, expertise/, pending-commits/ and node_modules/ are protected)`);
    }
  };
  refuse(repoPath);
  if (workspaceReal) refuse(realRepoPath(workspaceReal, repoPath).repoPath);
}

/**
 * The real location of a repository path: the deepest existing ancestor is resolved through its
 * symbolic links, and the rest appended. Refused when that leaves the workspace.
 */
function realRepoPath(workspaceReal: string, repoPath: string): { absolute: string; repoPath: string } {
  const parts = repoPath.split('/');
  let existing = parts.length;
  while (existing > 0 && !exists(path.join(workspaceReal, ...parts.slice(0, existing)))) existing--;
  if (existing < parts.length && isDanglingLink(path.join(workspaceReal, ...parts.slice(0, existing + 1)))) {
    throw new PathError(`"${parts.slice(0, existing + 1).join('/')}" is a symbolic link to nothing; refused`);
  }
  const base = realpathSync(path.join(workspaceReal, ...parts.slice(0, existing)));
  const absolute = path.join(base, ...parts.slice(existing));
  const relative = path.relative(workspaceReal, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new PathError(`"${repoPath}" resolves outside the workspace (through a symbolic link); refused`);
  }
  return { absolute, repoPath: relative.split(path.sep).join('/') };
}

function exists(p: string): boolean {
  return existsSync(p);
}

/** A link whose target is missing: writing through it could create a file anywhere. */
function isDanglingLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Refuses a glob that could match outside the workspace: absolute, a drive, or with a `..`
 * anywhere (in a segment, a brace list or an extglob).
 */
export function assertRelativeGlob(pattern: string): void {
  if (pattern.includes('..') || pattern.startsWith('/') || /^[A-Za-z]:|^\\/.test(pattern) || pattern.includes('\0')) {
    throw new PathError('patterns are relative to the repository root and may not contain ..');
  }
}

/** Notes (plans, reviews) are written as `notes/<name>` and kept out of the commit. */
export function isNotePath(repoPath: string): boolean {
  return repoPath.startsWith('notes/');
}
