import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRun } from '../../src/git/apply-run.js';
import { runWorkflow } from '../../src/index.js';
import { tempRepo } from '../helpers/workspace.js';
import { git } from './run-fixture.js';

const EXPERTISE = 'expertise/integrations/expertise.yaml';
const TEAM_FILE = ['domain: integrations', 'version: 1.1', 'learnings:', '  - date: 2026-10-01', '    insight: Our team reviews every integration branch before merging', ''].join('\n');

let template: Promise<{ repo: string; runId: string }> | undefined;

/**
 * A repository whose team committed its expertise, with a complete offline stripe run made in
 * it (merged into its expertise). The run is made once per file; each test gets a copy of the
 * whole repository, `.git` included.
 */
async function repoWithRun(): Promise<{ repo: string; runId: string }> {
  template ??= (async () => {
    const repo = tempRepo({ 'README.md': '# shop\n', [EXPERTISE]: TEAM_FILE });
    const run = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd: repo, provider: 'offline', approve: 'auto', runtime: { env: {} } });
    expect(run.status).toBe('complete');
    const kept = mkdtempSync(path.join(tmpdir(), 'orchestrate-expertise-template-'));
    cpSync(repo, kept, { recursive: true });
    return { repo: kept, runId: run.runId };
  })();
  const { repo: kept, runId } = await template;
  const repo = tempRepo();
  rmSync(repo, { recursive: true, force: true });
  cpSync(kept, repo, { recursive: true });
  return { repo, runId };
}
afterAll(async () => {
  if (template) rmSync((await template).repo, { recursive: true, force: true });
});

const statusOf = (repo: string, file: string) => git(repo, 'status', '--porcelain', '--', file);

describe('apply commits the expertise the run changed', () => {
  it('commits the run\'s learnings and catalog entry with its files, leaving the expertise clean', async () => {
    const { repo, runId } = await repoWithRun();
    const merged = readFileSync(path.join(repo, EXPERTISE), 'utf8');
    expect(merged).toContain(runId);

    const result = await applyRun({ workspace: repo, runId, env: {} });

    expect(result.expertise).toEqual({ committed: [EXPERTISE], skipped: [] });
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n')).toContain(EXPERTISE);
    expect(git(repo, 'show', `HEAD:${EXPERTISE}`)).toBe(merged.trimEnd());
    expect(readFileSync(path.join(repo, EXPERTISE), 'utf8')).toBe(merged);
    expect(statusOf(repo, EXPERTISE)).toBe('');
  }, 120_000);

  it('leaves the file uncommitted, saying why, when the person has uncommitted lines in it, and keeps their lines', async () => {
    const { repo, runId } = await repoWithRun();
    const merged = readFileSync(path.join(repo, EXPERTISE), 'utf8');
    const mine = '# Ask #payments before changing the Stripe retry settings\n';
    writeFileSync(path.join(repo, EXPERTISE), mine + merged);

    const result = await applyRun({ workspace: repo, runId, env: {} });

    expect(result.outcome).toBe('applied');
    expect(result.expertise.committed).toEqual([]);
    expect(result.expertise.skipped).toEqual([`${EXPERTISE}: your working copy also has lines this run did not add (yours, or another run's), so it is left for you to commit`]);
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n')).not.toContain(EXPERTISE);
    expect(readFileSync(path.join(repo, EXPERTISE), 'utf8')).toBe(mine + merged);
    expect(statusOf(repo, EXPERTISE)).toBe(` M ${EXPERTISE}`);
  }, 120_000);

  it('switches to a branch whose expertise differs by setting the person\'s file aside, and gives it back as it was', async () => {
    const { repo, runId } = await repoWithRun();
    const merged = readFileSync(path.join(repo, EXPERTISE), 'utf8');
    // integration/stripe exists with another version of the file: git alone refuses this switch.
    const branchFile = TEAM_FILE.replace('learnings:\n', 'learnings:\n  - date: 2026-10-02\n    insight: Committed on the branch after the run\n');
    git(repo, 'switch', '-q', '-c', 'integration/stripe');
    writeFileSync(path.join(repo, EXPERTISE), branchFile);
    git(repo, 'commit', '-q', '-am', 'team learning');
    git(repo, 'switch', '-q', 'main');
    writeFileSync(path.join(repo, EXPERTISE), merged);

    const result = await applyRun({ workspace: repo, runId, env: {} });

    expect(result.outcome).toBe('applied');
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('integration/stripe');
    // The run merged into main's version; the branch's has another learning: not the working copy, so not committed.
    expect(result.expertise.committed).toEqual([]);
    expect(git(repo, 'show', `HEAD:${EXPERTISE}`)).toBe(branchFile.trimEnd());
    expect(readFileSync(path.join(repo, EXPERTISE), 'utf8')).toBe(merged);
    expect(existsSync(path.join(repo, 'pending-commits', runId, 'expertise-merge', '.worktree'))).toBe(false);
  }, 120_000);

  it('dry run names the expertise it would commit and commits nothing', async () => {
    const { repo, runId } = await repoWithRun();
    const head = git(repo, 'rev-parse', 'HEAD');

    const result = await applyRun({ workspace: repo, runId, env: {}, dryRun: true });

    expect(result.expertise.committed).toEqual([EXPERTISE]);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(statusOf(repo, EXPERTISE)).toBe(` M ${EXPERTISE}`);
  }, 120_000);
});
