import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRun } from '../../src/git/apply-run.js';
import { tempRepo } from '../helpers/workspace.js';
import { completedRun, git, plant, readManifestJson, statusLines, writeManifestJson } from './run-fixture.js';

const env = {};
const CONFIG = 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport const d = 4;\nexport const e = 5;\n';

/** Commits a change on main, as a person would after the run was made. */
function personCommits(repo: string, file: string, content: string): void {
  writeFileSync(path.join(repo, file), content);
  git(repo, 'commit', '-q', '-am', `a person edits ${file}`);
}

describe('orchestrate apply, three-way merge', () => {
  it('keeps a change made on the branch since the run, and says the file was merged', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'src/config.ts': CONFIG });
    const { runId } = await completedRun(repo);
    plant(path.join(repo, 'pending-commits', runId), 'src/config.ts', CONFIG.replace('e = 5', 'e = 50'));
    personCommits(repo, 'src/config.ts', CONFIG.replace('a = 1', 'a = 10'));

    const result = await applyRun({ workspace: repo, runId, env });

    expect(result.changes.find((c) => c.path === 'src/config.ts')?.action).toBe('merge');
    expect(result.changes.filter((c) => c.action === 'add').length).toBeGreaterThan(3);
    expect(git(repo, 'show', 'HEAD:src/config.ts')).toBe(CONFIG.replace('a = 1', 'a = 10').replace('e = 5', 'e = 50').trimEnd());
    expect(statusLines(repo)).toEqual([]);
  });

  it('stops on a conflict, naming the file and hunk, and changes nothing; --onto the base resolves it in git', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'src/config.ts': CONFIG });
    const { runId, runDir } = await completedRun(repo);
    const base = git(repo, 'rev-parse', 'HEAD');
    plant(runDir, 'src/config.ts', CONFIG.replace('c = 3', 'c = 30'));
    personCommits(repo, 'src/config.ts', CONFIG.replace('c = 3', 'c = 300'));
    const head = git(repo, 'rev-parse', 'HEAD');

    const attempt = applyRun({ workspace: repo, runId, env });

    await expect(attempt).rejects.toMatchObject({ code: 'APPLY_CONFLICT', exitCode: 1 });
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('src/config.ts: changed both on the branch and in the run: line 3 on integration/twilio against line 3 of the run');
    expect(message).toContain(`--onto ${base.slice(0, 12)}`);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    expect(statusLines(repo)).toEqual([]);
    expect(readManifestJson(runDir).status).toBe('complete');

    const onto = await applyRun({ workspace: repo, runId, env, onto: base, branch: 'integration/twilio-run' });
    expect(onto).toMatchObject({ outcome: 'applied', createdBranch: true, startedFrom: base });
    expect(git(repo, 'rev-parse', 'HEAD^')).toBe(base);
    expect(readFileSync(path.join(repo, 'src/config.ts'), 'utf8')).toBe(CONFIG.replace('c = 3', 'c = 30'));
  });

  it('refuses, with one line and exit 2, a base commit that is gone, an unknown --onto, and --onto an existing branch', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const manifest = readManifestJson(runDir);
    writeManifestJson(runDir, { ...manifest, base: { commit: 'f'.repeat(40), branch: 'main' } });
    await expect(applyRun({ workspace: repo, runId, env })).rejects.toMatchObject({ code: 'BASE_MISSING', exitCode: 2, message: expect.stringMatching(/^run \S+ was made on commit ffffffffffff, which is not in this repository any more[^\n]*$/) });
    writeManifestJson(runDir, manifest);
    await expect(applyRun({ workspace: repo, runId, env, onto: 'no-such-ref' })).rejects.toMatchObject({ code: 'BAD_ONTO', exitCode: 2 });
    git(repo, 'branch', 'integration/twilio');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'main moves on');
    await expect(applyRun({ workspace: repo, runId, env, onto: 'main' })).rejects.toMatchObject({ code: 'BRANCH_EXISTS', exitCode: 2 });
    await expect(applyRun({ workspace: repo, runId: 'no-such-run', env })).rejects.toMatchObject({ code: 'NO_SUCH_RUN', exitCode: 2 });
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(readManifestJson(runDir).status).toBe('complete');
    expect(statusLines(repo)).toEqual([]);
  });

  it('refuses to remove a module that something still imports, naming the file, unless --force', async () => {
    const repo = tempRepo();
    const twilio = await completedRun(repo);
    await applyRun({ workspace: repo, runId: twilio.runId, env, here: true });
    const client = 'src/integrations/clients/TwilioClient.ts';
    writeFileSync(path.join(repo, 'src/app.ts'), "import { TwilioClient } from './integrations/clients/TwilioClient.js';\nexport const app = new TwilioClient();\n");
    git(repo, 'add', 'src/app.ts');
    git(repo, 'commit', '-q', '-m', 'the app uses the client');
    const removal = await completedRun(repo, 'stripe');
    writeManifestJson(removal.runDir, { ...readManifestJson(removal.runDir), files: [], deletions: [{ path: client, phase: 'removal', task: 'remove', agent: 'integration-specialist' }] });

    const refused = applyRun({ workspace: repo, runId: removal.runId, env, here: true });
    await expect(refused).rejects.toMatchObject({ code: 'REMOVAL_IN_USE', exitCode: 2, message: expect.stringContaining(`src/app.ts (imports ${client})`) });
    expect(git(repo, 'ls-files', client)).toBe(client);

    await expect(applyRun({ workspace: repo, runId: removal.runId, env, here: true, force: true })).resolves.toMatchObject({ outcome: 'applied' });
    expect(git(repo, 'ls-files', client)).toBe('');
  });
});
