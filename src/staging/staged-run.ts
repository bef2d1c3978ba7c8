import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { Manifest, Provenance, SecretFinding } from '../schema/manifest.js';
import { assertWritable, isNotePath } from '../tools/paths.js';
import { createSecretScanner, declaredEnvVars, envValues } from './secret-scan.js';
import { stagedPath } from './run-layout.js';

/** One change a run makes to the repository. */
export type StagedChange =
  | ({ kind: 'write'; path: string; content: Buffer; sha256: string; edited: boolean } & Provenance)
  | ({ kind: 'delete'; path: string } & Provenance);

/**
 * Reads a run's staged tree and checks it against the manifest: every path is a plain path
 * inside the repository that agents may write, and every staged file is there. A file a
 * reviewer edited after the run is allowed and marked `edited` (apply scans what is on disk,
 * not what the run wrote). Every problem is reported at once.
 */
export async function readStagedChanges(runDir: string, manifest: Manifest): Promise<StagedChange[]> {
  const problems: string[] = [];
  const changes: StagedChange[] = [];
  const seen = new Set<string>();
  const check = (repoPath: string): boolean => {
    const problem = pathProblem(repoPath) ?? (seen.has(repoPath) ? 'listed twice' : undefined);
    seen.add(repoPath);
    if (problem) problems.push(`${JSON.stringify(repoPath)}: ${problem}`);
    return problem === undefined;
  };
  for (const file of manifest.files) {
    if (!check(file.path)) continue;
    const content = await readFile(stagedPath(runDir, file.path)).catch(() => undefined);
    if (content === undefined) {
      problems.push(`${file.path}: missing from files/`);
      continue;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const edited = sha256 !== file.sha256;
    changes.push({ kind: 'write', path: file.path, content, sha256, edited, phase: file.phase, task: file.task, agent: file.agent });
  }
  for (const deletion of manifest.deletions) {
    if (check(deletion.path)) changes.push({ kind: 'delete', ...deletion });
  }
  if (problems.length) {
    throw new UserError('STAGED_RUN_CHANGED', `run ${manifest.runId} does not match its manifest, so it will not be applied:\n  ${problems.join('\n  ')}`);
  }
  return changes;
}

function pathProblem(repoPath: string): string | undefined {
  if (repoPath === '' || repoPath.includes('\0') || repoPath.includes('\\')) return 'not a plain repository path';
  if (repoPath.startsWith('/') || /^[A-Za-z]:/.test(repoPath)) return 'absolute path';
  if (repoPath.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'not a normalised path inside the repository';
  if (isNotePath(repoPath)) return 'notes are never committed';
  try {
    assertWritable(repoPath);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/**
 * Scans a run's staged files and notes for secrets, with the values of the environment
 * variables the run declares taken from `env`. Learning findings recorded during the run are
 * kept, and so are the run's findings in a file nobody has changed since: the environment at
 * apply may lack a value the run's environment had. Returns every finding, sorted.
 */
export async function scanStagedRun(runDir: string, manifest: Manifest, env: Readonly<Record<string, string | undefined>>): Promise<SecretFinding[]> {
  const findings = manifest.findings.filter((finding) => finding.source === 'learning');
  const targets = [
    ...manifest.files.map((f) => ({ entry: f, source: 'file' as const, path: f.path, file: stagedPath(runDir, f.path) })),
    ...manifest.notes.map((n) => ({ entry: n, source: 'note' as const, path: n.path, file: stagedPath(runDir, n.path) })),
  ];
  // Nothing staged: no scanner to make (its rules load on first use).
  if (targets.length === 0) return sortFindings(findings);
  const scanner = createSecretScanner(envValues(declaredEnvVars(manifest.inputs, manifest.secretEnvVars), env));
  for (const { entry, ...target } of targets) {
    const content = await readFile(target.file).catch(() => undefined);
    if (content === undefined) continue;
    const fresh = await scanner.scan({ ...target, content: content.toString('utf8') });
    const unchanged = createHash('sha256').update(content).digest('hex') === entry.sha256;
    const recorded = unchanged ? manifest.findings.filter((f) => f.source === target.source && f.path === target.path) : [];
    const key = (f: SecretFinding) => `${f.line}:${f.column}:${f.rule}`;
    const seen = new Set(fresh.map(key));
    findings.push(...fresh, ...recorded.filter((f) => !seen.has(key(f))));
  }
  return sortFindings(findings);
}

/** Findings that stop `orchestrate apply`: any in a staged file or note. */
export function blockingFindings(findings: readonly SecretFinding[]): SecretFinding[] {
  return findings.filter((finding) => finding.source !== 'learning');
}

const SOURCE_ORDER = { file: 0, note: 1, learning: 2 } as const;

/** Files, then notes, then dropped learnings; by path and position inside each. */
export function sortFindings(findings: SecretFinding[]): SecretFinding[] {
  return findings.sort(
    (a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column),
  );
}
