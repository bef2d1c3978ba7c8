import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRun } from '../../src/git/apply-run.js';
import { discardRun } from '../../src/staging/discard-run.js';
import { runCli } from '../helpers/cli.js';
import { tempRepo } from '../helpers/workspace.js';
import { completedRun, git, readManifestJson, writeManifestJson } from './run-fixture.js';

/** Rewrites a staged run into the layout of orchestrate before the tree moved: `files/<path>`. */
function toOldLayout(runDir: string): void {
  const tree = path.join(runDir, 'files', 'node_modules');
  const aside = path.join(runDir, 'old-tree');
  renameSync(tree, aside);
  for (const entry of readdirSync(aside)) renameSync(path.join(aside, entry), path.join(runDir, 'files', entry));
  rmSync(aside, { recursive: true });
  expect(existsSync(tree)).toBe(false);
  expect(readdirSync(path.join(runDir, 'files')).length).toBeGreaterThan(0);
}

describe('a run staged in the old layout (pending-commits/<run>/files/<path>)', () => {
  it('is applied: every staged file is committed as staged, and the folder is moved to the current layout', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo, 'stripe');
    const files = readManifestJson(runDir).files;
    toOldLayout(runDir);
    const client = files.find((f) => f.path.endsWith('StripeClient.ts'))!.path;
    const staged = readFileSync(path.join(runDir, 'files', client), 'utf8');

    const result = await applyRun({ workspace: repo, runId, env: {} });

    expect(result.outcome).toBe('applied');
    const committed = git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n');
    for (const file of files) expect(committed).toContain(file.path);
    expect(readFileSync(path.join(repo, client), 'utf8')).toBe(staged);
    expect(readFileSync(path.join(runDir, 'files', 'node_modules', client), 'utf8')).toBe(staged);
  });

  it('is shown by show, and discarded with its staged files', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo, 'twilio');
    toOldLayout(runDir);

    const shown = runCli(['show', runId], repo);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(runId);

    const result = await discardRun({ workspace: repo, runId });
    expect(result.outcome).toBe('discarded');
    expect(existsSync(path.join(runDir, 'files'))).toBe(false);
    expect(existsSync(path.join(runDir, '.files-upgrading'))).toBe(false);
    expect(readManifestJson(runDir).status).toBe('discarded');
  });

  it('is applied after an upgrade killed between its two renames', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo, 'twilio');
    const files = readManifestJson(runDir).files;
    toOldLayout(runDir);
    // Killed after the first rename: the old tree is aside and files/ is gone.
    renameSync(path.join(runDir, 'files'), path.join(runDir, '.files-upgrading'));

    const result = await applyRun({ workspace: repo, runId, env: {} });

    expect(result.outcome).toBe('applied');
    expect(existsSync(path.join(runDir, '.files-upgrading'))).toBe(false);
    for (const file of files) expect(existsSync(path.join(runDir, 'files', 'node_modules', file.path))).toBe(true);
  });

  it('is left alone while the process writing it is alive', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo, 'twilio');
    toOldLayout(runDir);
    const manifest = readManifestJson(runDir);
    writeManifestJson(runDir, { ...manifest, status: 'running', owner: { pid: process.pid, host: hostname() } });

    await expect(applyRun({ workspace: repo, runId, env: {} })).rejects.toThrow(/still running/);
    expect(existsSync(path.join(runDir, 'files', 'node_modules'))).toBe(false);
  });
});
