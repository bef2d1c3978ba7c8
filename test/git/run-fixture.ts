import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { repositoryHead } from '../../src/git/repository.js';
import { runWorkflow } from '../../src/index.js';
import type { Manifest } from '../../src/schema/manifest.js';

const templates = new Map<string, Promise<{ runId: string; runDir: string }>>();
const templateDirs: string[] = [];
afterAll(() => templateDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * A complete run of the real offline integrate workflow, in `repo`'s `pending-commits/`.
 * The workflow runs once per service per test file, in a repository of its own; each test
 * gets its own copy of that run folder, so tests stay independent and fast.
 */
export async function completedRun(repo: string, service = 'twilio'): Promise<{ runId: string; runDir: string }> {
  let template = templates.get(service);
  if (!template) {
    template = (async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-template-'));
      templateDirs.push(dir);
      const result = await runWorkflow({ workflow: 'integrate', inputs: { service }, cwd: dir, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(result.status).toBe('complete');
      expect(result.stagedFiles.length).toBeGreaterThan(3);
      return { runId: result.runId, runDir: result.runDir };
    })();
    templates.set(service, template);
  }
  const { runId, runDir } = await template;
  const copy = path.join(repo, 'pending-commits', runId);
  cpSync(runDir, copy, { recursive: true });
  // As if the run had been made here: its base is the repository's checked-out commit.
  const base = await repositoryHead(repo);
  if (base) writeManifestJson(copy, { ...readManifestJson(copy), base });
  return { runId, runDir: copy };
}

export function readManifestJson(runDir: string): Manifest {
  return JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as Manifest;
}

export function writeManifestJson(runDir: string, manifest: Manifest): void {
  writeFileSync(path.join(runDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Puts `content` at `repoPath` in the staged tree and the manifest, as if the run had written it. */
export function plant(runDir: string, repoPath: string, content: string): void {
  const file = path.join(runDir, 'files/node_modules', ...repoPath.split('/'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  const manifest = readManifestJson(runDir);
  const entry = { path: repoPath, sha256: createHash('sha256').update(content).digest('hex'), size: Buffer.byteLength(content), phase: 'implementation', task: 'implement', agent: 'integration-specialist' };
  manifest.files = [...manifest.files.filter((f) => f.path !== repoPath), entry].sort((a, b) => (a.path < b.path ? -1 : 1));
  writeManifestJson(runDir, manifest);
}

/** Runs git in `repo` and returns its trimmed output. */
export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' } }).trimEnd();
}

/** The number of commits reachable from a ref. */
export function commitCount(repo: string, ref: string): number {
  return Number(git(repo, 'rev-list', '--count', ref));
}

/** `git status --porcelain` lines, ignoring the run folders and expertise the run itself made. */
export function statusLines(repo: string): string[] {
  return git(repo, 'status', '--porcelain', '--untracked-files=all')
    .split('\n')
    .filter((line) => line && !/ (pending-commits|expertise)\//.test(line));
}
