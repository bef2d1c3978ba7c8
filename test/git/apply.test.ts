import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRun } from '../../src/git/apply-run.js';
import { discardRun } from '../../src/staging/discard-run.js';
import { tempRepo } from '../helpers/workspace.js';
import { commitCount, completedRun, git, readManifestJson, statusLines, writeManifestJson } from './run-fixture.js';

const env = {};

describe('orchestrate apply', () => {
  it('commits a run to a new integration/<service> branch on a clean repository', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const staged = readManifestJson(runDir).files;

    const result = await applyRun({ workspace: repo, runId, env });

    expect(result).toMatchObject({ outcome: 'applied', branch: 'integration/twilio', createdBranch: true, previousBranch: 'main' });
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('integration/twilio');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(result.commit);
    expect(git(repo, 'rev-parse', 'HEAD^')).toBe(git(repo, 'rev-parse', 'main'));
    expect(commitCount(repo, 'main')).toBe(1);
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('feat(integrations): add twilio integration');
    expect(message).toContain(`Orchestrate-Run: ${runId}`);
    const committed = git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort();
    // Apply adds the .gitattributes that union-merges the list files, so integration branches merge cleanly.
    expect(committed).toEqual([...staged.map((f) => f.path), '.gitattributes'].sort());
    expect(readFileSync(path.join(repo, '.gitattributes'), 'utf8')).toBe('/.env.example merge=union\n/docs/integrations/README.md merge=union\n');
    for (const file of staged) {
      expect(readFileSync(path.join(repo, file.path), 'utf8')).toBe(readFileSync(path.join(runDir, 'files/node_modules', file.path), 'utf8'));
    }
    expect(statusLines(repo)).toEqual([]);
    const manifest = readManifestJson(runDir);
    expect(manifest.status).toBe('applied');
    expect(manifest.applied).toMatchObject({ branch: 'integration/twilio', commit: result.commit });
  });

  it('leaves an unrelated dirty file and an unrelated staged change alone', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'other.txt': 'one\n' });
    const { runId } = await completedRun(repo);
    writeFileSync(path.join(repo, 'README.md'), '# demo, edited by hand\n');
    writeFileSync(path.join(repo, 'other.txt'), 'two\n');
    git(repo, 'add', 'other.txt');
    writeFileSync(path.join(repo, 'scratch.txt'), 'mine\n');

    const result = await applyRun({ workspace: repo, runId, env });

    expect(result.outcome).toBe('applied');
    const committed = git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n');
    expect(committed).not.toContain('README.md');
    expect(committed).not.toContain('other.txt');
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('# demo, edited by hand\n');
    expect(statusLines(repo).sort()).toEqual([' M README.md', '?? scratch.txt', 'M  other.txt'].sort());
  });

  it('refuses a file with uncommitted changes that the run would overwrite, lists it, and changes nothing', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const [first, second] = readManifestJson(runDir).files.map((f) => f.path);
    // One tracked file modified by hand, one untracked file in the way.
    mkdirSync(path.dirname(path.join(repo, first!)), { recursive: true });
    mkdirSync(path.dirname(path.join(repo, second!)), { recursive: true });
    writeFileSync(path.join(repo, first!), 'committed\n');
    git(repo, 'add', '--', first!);
    git(repo, 'commit', '-q', '-m', 'add a file the run also writes');
    writeFileSync(path.join(repo, first!), 'local edit\n');
    writeFileSync(path.join(repo, second!), 'untracked local file\n');
    const head = git(repo, 'rev-parse', 'HEAD');

    const attempt = applyRun({ workspace: repo, runId, env });

    await expect(attempt).rejects.toMatchObject({ code: 'LOCAL_CHANGES', exitCode: 2 });
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(` M ${first}`);
    expect(message).toContain(`?? ${second}`);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    expect(readFileSync(path.join(repo, first!), 'utf8')).toBe('local edit\n');
    expect(readFileSync(path.join(repo, second!), 'utf8')).toBe('untracked local file\n');
    expect(readManifestJson(runDir).status).toBe('complete');
  });

  it('reuses an existing branch, committing on top of it', async () => {
    const repo = tempRepo();
    const { runId } = await completedRun(repo);
    git(repo, 'switch', '-q', '-c', 'integration/twilio');
    writeFileSync(path.join(repo, 'branch-only.txt'), 'from the branch\n');
    git(repo, 'add', 'branch-only.txt');
    git(repo, 'commit', '-q', '-m', 'earlier work on the branch');
    const tip = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'switch', '-q', 'main');

    const result = await applyRun({ workspace: repo, runId, env });

    expect(result).toMatchObject({ outcome: 'applied', createdBranch: false, previousBranch: 'main' });
    expect(git(repo, 'rev-parse', 'HEAD^')).toBe(tip);
    expect(existsSync(path.join(repo, 'branch-only.txt'))).toBe(true);
  });

  it('branches from a detached HEAD, and --here there is refused', async () => {
    const repo = tempRepo();
    const { runId } = await completedRun(repo);
    const commit = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'switch', '-q', '--detach', 'HEAD');

    await expect(applyRun({ workspace: repo, runId, env, here: true })).rejects.toMatchObject({ code: 'DETACHED_HEAD' });
    const result = await applyRun({ workspace: repo, runId, env });

    expect(result).toMatchObject({ outcome: 'applied', createdBranch: true, previousBranch: undefined });
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('integration/twilio');
    expect(git(repo, 'rev-parse', 'HEAD^')).toBe(commit);
  });

  it('applied twice commits once, even when the first apply stopped before recording it', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const first = await applyRun({ workspace: repo, runId, env });
    const count = commitCount(repo, 'integration/twilio');

    const second = applyRun({ workspace: repo, runId, env });
    await expect(second).rejects.toMatchObject({ code: 'RUN_APPLIED', exitCode: 2, message: expect.stringContaining(first.commit!.slice(0, 12)) });

    // As if apply had died between the commit and the manifest: the trailer finds the commit.
    const manifest = readManifestJson(runDir);
    writeManifestJson(runDir, { ...manifest, status: 'complete', applied: undefined });
    git(repo, 'switch', '-q', 'main');
    const third = await applyRun({ workspace: repo, runId, env });
    expect(third).toMatchObject({ outcome: 'already-applied', commit: first.commit });
    expect(commitCount(repo, 'integration/twilio')).toBe(count);
    expect(readManifestJson(runDir).status).toBe('applied');
  });

  it('refuses a discarded run, whose staged files are gone', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    await expect(discardRun({ workspace: repo, runId })).resolves.toEqual({ runId, outcome: 'discarded' });
    expect(existsSync(path.join(runDir, 'files'))).toBe(false);
    expect(readManifestJson(runDir).status).toBe('discarded');

    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({ code: 'RUN_DISCARDED' });
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
  });

  it('refuses an applied run to discard', async () => {
    const repo = tempRepo();
    const { runId } = await completedRun(repo);
    await applyRun({ workspace: repo, runId, env });
    await expect(discardRun({ workspace: repo, runId })).rejects.toMatchObject({ code: 'RUN_APPLIED' });
  });

  it('refuses to start in the middle of a merge', async () => {
    const repo = tempRepo({ 'a.txt': 'base\n' });
    const { runId } = await completedRun(repo);
    git(repo, 'switch', '-q', '-c', 'other');
    writeFileSync(path.join(repo, 'a.txt'), 'other\n');
    git(repo, 'commit', '-q', '-am', 'other');
    git(repo, 'switch', '-q', 'main');
    writeFileSync(path.join(repo, 'a.txt'), 'main\n');
    git(repo, 'commit', '-q', '-am', 'main');
    spawnSync('git', ['merge', 'other'], { cwd: repo });
    expect(existsSync(path.join(repo, '.git', 'MERGE_HEAD'))).toBe(true);

    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({ code: 'REPO_BUSY', message: expect.stringContaining('git merge --abort') });
  });

  it('with --dry-run lists what would change and changes nothing', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const before = readFileSync(path.join(runDir, 'manifest.json'), 'utf8');

    const result = await applyRun({ workspace: repo, runId, env, dryRun: true });

    expect(result.outcome).toBe('dry-run');
    expect(result.changes.length).toBe(readManifestJson(runDir).files.length + 1);
    expect(result.changes.find((c) => c.path === '.gitattributes')).toMatchObject({ action: 'add', agent: 'orchestrate' });
    expect(result.changes.every((c) => c.action === 'add')).toBe(true);
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    expect(statusLines(repo)).toEqual([]);
    expect(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('with --here commits to the checked-out branch, and --branch names another', async () => {
    const repo = tempRepo();
    const here = await completedRun(repo);
    await applyRun({ workspace: repo, runId: here.runId, env, here: true });
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(commitCount(repo, 'main')).toBe(2);

    const named = await completedRun(repo, 'stripe');
    await expect(applyRun({ workspace: repo, runId: named.runId, env, branch: '--force' })).rejects.toMatchObject({ code: 'BAD_BRANCH' });
    await expect(applyRun({ workspace: repo, runId: named.runId, env, branch: 'bad..name' })).rejects.toMatchObject({ code: 'BAD_BRANCH' });
    const result = await applyRun({ workspace: repo, runId: named.runId, env, branch: 'feature/payments' });
    expect(result).toMatchObject({ branch: 'feature/payments', createdBranch: true });
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('feature/payments');
  });

  it('removes the files a run staged as deletions with git rm', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'src/legacy/old-client.ts': 'export {};\n' });
    const { runId, runDir } = await completedRun(repo);
    const manifest = readManifestJson(runDir);
    writeManifestJson(runDir, { ...manifest, deletions: [{ path: 'src/legacy/old-client.ts', phase: 'implementation', task: 'implement', agent: 'integration-specialist' }] });

    const result = await applyRun({ workspace: repo, runId, env });

    expect(result.changes).toContainEqual(expect.objectContaining({ path: 'src/legacy/old-client.ts', action: 'delete' }));
    expect(existsSync(path.join(repo, 'src/legacy/old-client.ts'))).toBe(false);
    expect(git(repo, 'show', '--name-status', '--format=', 'HEAD')).toContain('D\tsrc/legacy/old-client.ts');
  });

  it('rolls back when git refuses the commit (a failing pre-commit hook)', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    writeFileSync(path.join(repo, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "hook says no" >&2\nexit 1\n', { mode: 0o755 });

    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({ code: 'COMMIT_FAILED' });

    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    expect(statusLines(repo)).toEqual([]);
    expect(readManifestJson(runDir).status).toBe('complete');
  });

  it('refuses a run that is not a git repository', async () => {
    const repo = tempRepo();
    const { runId } = await completedRun(repo);
    rmSync(path.join(repo, '.git'), { recursive: true });
    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({ code: 'NOT_A_GIT_REPO' });
  });
});

describe('orchestrate apply, concurrency and incomplete runs', () => {
  it('two runs applied at once both commit, each on its own branch', async () => {
    const repo = tempRepo();
    const twilio = await completedRun(repo);
    const stripe = await completedRun(repo, 'stripe');

    const results = await Promise.all([applyRun({ workspace: repo, runId: twilio.runId, env }), applyRun({ workspace: repo, runId: stripe.runId, env })]);

    expect(results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    expect(git(repo, 'branch', '--list', 'integration/*', '--format=%(refname:short)').split('\n').sort()).toEqual(['integration/stripe', 'integration/twilio']);
  });

  it('applies one run started twice at once only once', async () => {
    const repo = tempRepo();
    const { runId } = await completedRun(repo);

    const results = await Promise.allSettled([applyRun({ workspace: repo, runId, env }), applyRun({ workspace: repo, runId, env })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'RUN_APPLIED' } });
    expect(commitCount(repo, 'integration/twilio')).toBe(2);
  });

  it('refuses a run whose process died, pointing at resume and discard', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const manifest = readManifestJson(runDir);
    writeManifestJson(runDir, { ...manifest, status: 'running', owner: { pid: Number(dead.stdout), host: manifest.owner!.host } });

    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({
      code: 'RUN_INCOMPLETE',
      message: `run ${runId} is incomplete (interrupted); resume it with orchestrate resume ${runId}, or discard it with orchestrate discard ${runId}`,
    });
    await expect(discardRun({ workspace: repo, runId })).resolves.toMatchObject({ outcome: 'discarded' });
  });
});

describe('orchestrate apply, paths', () => {
  it('refuses a staged path that leads out of the repository through a symbolic link, writing nothing', async () => {
    const { mkdtempSync, readdirSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const outside = mkdtempSync(path.join(tmpdir(), 'orchestrate-outside-'));
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    symlinkSync(outside, path.join(repo, 'vendor'));
    git(repo, 'add', 'vendor');
    git(repo, 'commit', '-q', '-m', 'vendor link');
    const { plant } = await import('./run-fixture.js');
    plant(runDir, 'vendor/escape/x.ts', 'export {};\n');

    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({ code: 'PATH_REFUSED' });
    expect(readdirSync(outside)).toEqual([]);
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    rmSync(outside, { recursive: true, force: true });
  });

  it('applies a run made in a folder of the repository, at that folder', async () => {
    const repo = tempRepo({ 'README.md': '# root\n', 'packages/api/package.json': '{}\n' });
    const workspace = path.join(repo, 'packages/api');
    const { runId, runDir } = await completedRun(workspace);

    const result = await applyRun({ workspace, runId, env });

    const committed = git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort();
    expect(result.outcome).toBe('applied');
    expect(committed).toEqual([...readManifestJson(runDir).files.map((f) => `packages/api/${f.path}`), 'packages/api/.gitattributes'].sort());
  });
});
