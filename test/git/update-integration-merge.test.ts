import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findService } from '../../src/kinds/integration/catalog/catalog.js';
import { applyRun } from '../../src/git/apply-run.js';
import { runWorkflow } from '../../src/index.js';
import { NO_BASH_TESTER } from '../durability/harness.js';
import { runCli } from '../helpers/cli.js';
import { tempRepo } from '../helpers/workspace.js';
import { git, readManifestJson, statusLines } from './run-fixture.js';
import { stagedPath } from '../../src/staging/run-layout.js';

const CLIENT = 'src/integrations/clients/TwilioClient.ts';
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

describe('orchestrate update-integration on an applied integration', () => {
  it("keeps a person's edit to a generated file, restores a deleted variable, and stops on a true conflict", async () => {
    const repo = tempRepo({ 'README.md': '# shop\n', '.env.example': 'APP_PORT=3000\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
    const run = async (workflow: string) => {
      const result = await runWorkflow({ workflow, inputs: { service: 'twilio' }, cwd: repo, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(result.status, workflow).toBe('complete');
      return result.runId;
    };
    const integrated = await applyRun({ workspace: repo, runId: await run('integrate'), env: {} });
    expect(integrated).toMatchObject({ outcome: 'applied', branch: 'integration/twilio' });

    // The person's own edits on the integration's branch: a line in the client, a variable gone.
    const twilio = findService('twilio')!;
    const dropped = twilio.envVars[1]!;
    const client = readFileSync(path.join(repo, CLIENT), 'utf8').split('\n');
    const edited = [...client.slice(0, 3), '// Ours: every message goes through the EU region.', ...client.slice(3)].join('\n');
    writeFileSync(path.join(repo, CLIENT), edited);
    const env = readFileSync(path.join(repo, '.env.example'), 'utf8');
    writeFileSync(path.join(repo, '.env.example'), env.replace(new RegExp(`^${dropped.name}=\\n`, 'm'), ''));
    expect(readFileSync(path.join(repo, '.env.example'), 'utf8')).not.toContain(`${dropped.name}=`);
    git(repo, 'commit', '-q', '-am', 'a person tunes the client and drops a variable');

    const updated = await applyRun({ workspace: repo, runId: await run('update-integration'), env: {} });
    expect(updated).toMatchObject({ outcome: 'applied', branch: 'integration/twilio' });
    expect(readFileSync(path.join(repo, CLIENT), 'utf8')).toBe(edited);
    const restored = readFileSync(path.join(repo, '.env.example'), 'utf8');
    expect(restored.startsWith('APP_PORT=3000\n')).toBe(true);
    for (const variable of twilio.envVars) expect(restored.match(new RegExp(`^${variable.name}=`, 'gm')), variable.name).toHaveLength(1);

    // A true conflict: the person and the (reviewed) run change the same line differently.
    const line = edited.split('\n').findIndex((l) => l.includes('export class TwilioClient'));
    expect(line).toBeGreaterThan(3);
    const withLine = (text: string, replacement: string) => text.split('\n').map((l, i) => (i === line ? replacement : l)).join('\n');
    writeFileSync(path.join(repo, CLIENT), withLine(edited, 'export class TwilioClient { // ours'));
    git(repo, 'commit', '-q', '-am', 'a person renames a line');
    const third = await run('update-integration');
    const staged = stagedPath(path.join(repo, 'pending-commits', third), CLIENT);
    writeFileSync(staged, withLine(readFileSync(staged, 'utf8'), 'export class TwilioClient { // theirs'));
    const head = git(repo, 'rev-parse', 'HEAD');
    const refused = runCli(['apply', third], repo, GIT_ENV);
    expect(refused.code, refused.stderr).toBe(1);
    const hunk = new RegExp(`${CLIENT}: changed both on the branch and in the run: lines? (\\d+-)?${line + 1} on integration/twilio against lines? (\\d+-)?${line + 1} of the run`);
    expect(refused.stderr).toMatch(hunk);
    expect(refused.stderr.trim().split('\n')[0]).toMatch(/^orchestrate: run \S+ conflicts with integration\/twilio in 1 file\(s\); nothing was changed:$/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(statusLines(repo)).toEqual([]);
    expect(readManifestJson(path.join(repo, 'pending-commits', third)).status).toBe('complete');
  }, 120_000);
});
