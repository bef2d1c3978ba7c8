import { realpathSync } from 'node:fs';
import path from 'node:path';
import { runTrailer } from '../staging/commit-message.js';
import { runDirOf } from '../staging/run-layout.js';
import { readManifest } from '../staging/run-store.js';
import { GitRepository } from './repository.js';

/** One change a person made to a file an applied run committed. */
export type ChangedFile =
  | { kind: 'moved'; path: string; to: string }
  | { kind: 'deleted'; path: string }
  | { kind: 'edited'; path: string }
  /** Between the run and its apply: a staged file a person edited, or one whose branch lines the three-way merge kept. */
  | { kind: 'edited-before-apply'; path: string }
  | { kind: 'merged-at-apply'; path: string };

/** What a person changed in the files of the last applied run of a subject, since that commit. */
export interface ChangesSinceApply {
  runId: string;
  commit: string;
  changes: ChangedFile[];
}

/**
 * Compares the files the last applied run of `subject` committed (the newest commit reachable
 * from HEAD with an `Orchestrate-Run: <date>-<time>-<subject>-<hex>` trailer) with the working
 * tree, with git's rename detection: each file moved or renamed (to a tracked path), deleted, or
 * edited since, committed or not. With the run folder still there, also what apply recorded of
 * the time between the run and its commit: staged files a person edited, and files merged three
 * ways (the branch's lines kept). Paths are relative to the workspace. Undefined outside git, or
 * when no run of the subject was applied on this line of history.
 *
 * @example
 * const seen = await changesSinceApply(process.cwd(), 'stripe');
 * seen?.changes; // [{ kind: 'moved', path: 'src/integrations/clients/StripeClient.ts', to: 'src/payments/stripe.ts' }]
 */
export async function changesSinceApply(workspace: string, subject: string): Promise<ChangesSinceApply | undefined> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(subject)) return undefined;
  const repo = await GitRepository.open(workspace).catch(() => undefined);
  if (!repo || !(await repo.resolve('HEAD'))) return undefined;
  const commit = await repo.findCommitMatching('HEAD', `^${runTrailer('')}[0-9]{8}-[0-9]{6}-${subject}-[0-9a-f]{6}$`);
  if (!commit) return undefined;
  const message = await repo.run(['log', '-1', '--format=%B', commit]);
  const runId = message.split('\n').find((line) => line.startsWith(runTrailer('')))!.slice(runTrailer('').length).trim();
  const prefix = path.relative(repo.root, realpathSync(workspace)).split(path.sep).join('/');
  const fromRoot = (p: string) => (prefix ? p.slice(prefix.length + 1) : p);
  // The files the apply added or changed (not .gitattributes or expertise: apply's own, not the run's).
  const own = new Set(
    parseNameStatus(await repo.run(['diff-tree', '--no-commit-id', '--root', '-r', '-z', '--name-status', '--no-renames', commit]))
      .filter((e) => e.status !== 'D')
      .map((e) => e.path)
      .filter((p) => !p.endsWith('.gitattributes') && !p.includes('expertise/') && (!prefix || p.startsWith(`${prefix}/`))),
  );
  const changes: ChangedFile[] = [];
  const since = own.size ? parseNameStatus(await repo.run(['diff', '-z', '--name-status', '-M50%', commit, '--'])) : [];
  for (const entry of since) {
    if (!own.has(entry.path)) continue;
    if (entry.status === 'R' && entry.to) changes.push({ kind: 'moved', path: fromRoot(entry.path), to: fromRoot(entry.to) });
    else if (entry.status === 'D') changes.push({ kind: 'deleted', path: fromRoot(entry.path) });
    else if (entry.status === 'M') changes.push({ kind: 'edited', path: fromRoot(entry.path) });
  }
  // Between the run and the commit, as apply recorded it in the run's manifest (when the run folder is still there).
  const applied = await readManifest(runDirOf(workspace, runId)).then((m) => m.applied, () => undefined);
  if (applied?.commit === commit) {
    for (const file of applied.editedBeforeApply ?? []) changes.push({ kind: 'edited-before-apply', path: file });
    for (const file of applied.mergedAtApply ?? []) changes.push({ kind: 'merged-at-apply', path: file });
  }
  return { runId, commit, changes };
}

/** `git diff --name-status -z` output: status letter (score dropped), path, and for renames and copies the new path. */
function parseNameStatus(out: string): Array<{ status: string; path: string; to?: string }> {
  const fields = out.split('\0').filter((f) => f !== '');
  const entries: Array<{ status: string; path: string; to?: string }> = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!.charAt(0);
    const from = fields[i++]!;
    if (status === 'R' || status === 'C') entries.push({ status, path: from, to: fields[i++]! });
    else entries.push({ status, path: from });
  }
  return entries;
}
