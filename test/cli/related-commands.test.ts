import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

interface Manifest {
  workflow: string;
  status: string;
  files: Array<{ path: string }>;
  deletions: Array<{ path: string; task: string; agent: string }>;
}

const manifestOf = (cwd: string, runId: string) => JSON.parse(readFileSync(path.join(cwd, 'pending-commits', runId, 'manifest.json'), 'utf8')) as Manifest;
const newest = (cwd: string) => runFolders(cwd).sort().at(-1)!;

describe('the seed\'s related commands, each a workflow of its own, on an applied integration', () => {
  it('test-, update- and remove-integration run offline; remove stages deletions and the .env.example edit', () => {
    const cwd = tempRepo({ 'README.md': '# demo\n', '.env.example': 'EXISTING=1\n', 'src/app.ts': 'export const app = 1;\n' });
    expect(runCli(['integrate', 'twilio', '-q'], cwd).code).toBe(0);
    const applied = runCli(['apply', 'last', '--here'], cwd, GIT_ENV);
    expect(applied.code, applied.stderr).toBe(0);
    expect(execFileSync('git', ['ls-files', 'src/integrations'], { cwd, encoding: 'utf8' })).toContain('TwilioClient.ts');

    const tested = runCli(['test-integration', 'twilio', '-q'], cwd);
    expect(tested.code, tested.stderr).toBe(0);
    const testRun = newest(cwd);
    expect(manifestOf(cwd, testRun).workflow).toBe('test-integration');
    const status = readFileSync(path.join(cwd, 'pending-commits', testRun, 'notes', 'test-status.md'), 'utf8');
    expect(status).toMatch(/^# Test status: Twilio/);
    expect(readFileSync(path.join(cwd, 'pending-commits', testRun, 'notes', 'security-review.md'), 'utf8')).toMatch(/TwilioClient\.ts/);

    const updated = runCli(['update-integration', 'twilio', '-q'], cwd);
    expect(updated.code, updated.stderr).toBe(0);
    const plan = readFileSync(path.join(cwd, 'pending-commits', newest(cwd), 'notes', 'update-plan.md'), 'utf8');
    expect(plan).toContain('- `src/integrations/clients/TwilioClient.ts`');

    // A file outside the integration that uses it: the removal check must name it.
    const user = path.join(cwd, 'src', 'app.ts');
    writeFileSync(user, "import { TwilioClient } from './integrations/clients/TwilioClient.js';\nexport const app = new TwilioClient();\n");

    const removed = runCli(['remove-integration', 'twilio', '-q'], cwd);
    expect(removed.code, removed.stderr).toBe(0);
    const removeRun = newest(cwd);
    const manifest = manifestOf(cwd, removeRun);
    expect(manifest.deletions.map((d) => d.path).sort()).toEqual([
      'docs/integrations/twilio-monitoring.md',
      'docs/integrations/twilio.md',
      'docs/runbooks/integration-twilio.md',
      'src/integrations/__tests__/TwilioClient.test.ts',
      'src/integrations/__tests__/TwilioWebhookHandler.test.ts',
      'src/integrations/clients/TwilioClient.ts',
      'src/integrations/clients/TwilioOperations.ts',
      'src/integrations/routes/twilioWebhook.ts',
      'src/integrations/webhooks/TwilioWebhookHandler.ts',
    ]);
    expect(manifest.deletions[0]).toMatchObject({ task: 'remove', agent: 'integration-specialist' });
    expect(manifest.files.map((f) => f.path)).toEqual(['.env.example']);
    expect(readFileSync(path.join(cwd, 'pending-commits', removeRun, 'files/node_modules', '.env.example'), 'utf8')).toBe('EXISTING=1\n');
    const check = readFileSync(path.join(cwd, 'pending-commits', removeRun, 'notes', 'removal-check.md'), 'utf8');
    expect(check).toMatch(/- src\/app\.ts:1: import \{ TwilioClient \}/);
    expect(check).not.toContain('expertise/');
    // Nothing was removed from the repository itself: removal waits for apply.
    expect(execFileSync('git', ['ls-files', 'src/integrations/clients'], { cwd, encoding: 'utf8' })).toContain('TwilioClient.ts');
    // Four runs, two of which run the generated tests in the sandbox.
  }, 240_000);

  it('a related command on an unknown service is bad input: exit 2, nothing written', () => {
    const cwd = tempRepo();
    const { code, stderr } = runCli(['remove-integration', 'twilo'], cwd);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown service "twilo": did you mean twilio/);
    expect(runFolders(cwd)).toEqual([]);
  });
});
