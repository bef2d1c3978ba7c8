import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { STRIPE_LIVE } from '../helpers/planted-secrets.js';
import { tempRepo } from '../helpers/workspace.js';
import { commitCount, git, plant, readManifestJson, statusLines, writeManifestJson } from './run-fixture.js';

// Run `npm run build` first: the CLI runs from dist/.

/** Runs `orchestrate integrate twilio` in `repo` and returns the run id. */
function integrate(repo: string): string {
  const run = runCli(['integrate', 'twilio', '--quiet'], repo);
  expect(run.code, run.stderr).toBe(0);
  return readdirSync(path.join(repo, 'pending-commits')).sort().at(-1)!;
}

let template: { repo: string; runId: string } | undefined;

/** A run made once per file by the real CLI, copied into `repo`: tests stay independent and fast. */
function integrated(repo: string): string {
  if (!template) {
    const templateRepo = tempRepo();
    template = { repo: templateRepo, runId: integrate(templateRepo) };
    cpSync(templateRepo, `${templateRepo}-template`, { recursive: true });
    template.repo = `${templateRepo}-template`;
  }
  const runDir = path.join(repo, 'pending-commits', template.runId);
  cpSync(path.join(template.repo, 'pending-commits', template.runId), runDir, { recursive: true });
  // As if the run had been made in `repo`: its base is that repository's commit.
  writeManifestJson(runDir, { ...readManifestJson(runDir), base: { commit: git(repo, 'rev-parse', 'HEAD'), branch: 'main' } });
  return template.runId;
}
afterAll(() => {
  if (template) rmSync(template.repo, { recursive: true, force: true });
});

describe('orchestrate runs / apply / discard (child process)', () => {
  it('lists a complete run, dry-runs, applies once, and lists it applied', () => {
    const repo = tempRepo();
    const runId = integrated(repo);

    const listed = runCli(['runs'], repo);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${runId}\\s+complete\\s+twilio\\s+\\d+[smhd]\\s+\\$0\\.00`));
    expect(listed.stdout).toContain(`orchestrate apply ${runId}`);

    const dry = runCli(['apply', runId, '--dry-run'], repo);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`Would apply run ${runId} to new branch integration/twilio, from main:`);
    expect(dry.stdout).toMatch(/ {2}add {7}src\/integrations\//);
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');

    const applied = runCli(['apply', 'last'], repo);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(new RegExp(`Applied run ${runId}: commit [0-9a-f]{12} on new branch integration/twilio, from main\\.`));
    expect(applied.stdout).toContain('go back with: git switch main');
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('feat(integrations): add twilio integration');
    expect(statusLines(repo)).toEqual([]);

    const again = runCli(['apply', runId], repo);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^orchestrate: run ${runId} is already applied as commit [0-9a-f]{12} on integration/twilio; nothing to do`));
    expect(commitCount(repo, 'integration/twilio')).toBe(2);

    const after = runCli(['runs', '--json'], repo);
    expect(JSON.parse(after.stdout)).toEqual([expect.objectContaining({ runId, status: 'applied', service: 'twilio', applied: expect.objectContaining({ branch: 'integration/twilio' }) })]);

    const discard = runCli(['discard', runId], repo);
    expect(discard.code).toBe(2);
    expect(discard.stderr).toMatch(/^orchestrate: run \S+ was already applied as commit [0-9a-f]{12} on integration\/twilio; undo it in git/);
  });

  it('discards a run, after which apply refuses it', () => {
    const repo = tempRepo();
    const runId = integrated(repo);

    const discard = runCli(['discard', runId], repo);
    expect(discard.code).toBe(0);
    expect(discard.stdout).toBe(`Discarded run ${runId}; its staged files are deleted.\n`);
    expect(runCli(['runs'], repo).stdout).toMatch(new RegExp(`${runId}\\s+discarded`));

    const apply = runCli(['apply', runId], repo);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toBe(`orchestrate: run ${runId} was discarded; there is nothing to apply\n`);
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
  });

  it('refuses a planted Stripe live key, naming the file and line, exit 2', () => {
    const repo = tempRepo();
    const runId = integrated(repo);
    plant(path.join(repo, 'pending-commits', runId), 'src/integrations/twilio/billing.ts', `// billing\nexport const key = '${STRIPE_LIVE}';\n`);

    const apply = runCli(['apply', runId], repo);

    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('the secret scan found 1 secret(s)');
    expect(apply.stderr).toContain('src/integrations/twilio/billing.ts:2:21 orchestrate/stripe-live-key');
    expect(apply.stderr).not.toContain(STRIPE_LIVE);
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    expect(runCli(['runs'], repo).stdout).toContain('1 secret(s) block apply');
  });

  it('lists a conflicting dirty file and changes nothing', () => {
    const repo = tempRepo({ 'README.md': '# demo\n', '.env.example': 'EXISTING=1\n' });
    const runId = integrated(repo);
    writeFileSync(path.join(repo, '.env.example'), 'EXISTING=2\n');

    const apply = runCli(['apply', runId], repo);

    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('these files have uncommitted changes the run would overwrite');
    expect(apply.stderr).toContain(' M .env.example');
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(statusLines(repo)).toEqual([' M .env.example']);
  });

  it('applies a remove-integration run: the files it removes are git rm-ed in the commit', () => {
    const repo = tempRepo();
    const added = integrated(repo);
    expect(runCli(['apply', added, '--here'], repo).code).toBe(0);
    const removal = runCli(['remove-integration', 'twilio', '--quiet'], repo);
    expect(removal.code, removal.stderr).toBe(0);

    const apply = runCli(['apply', 'last'], repo);

    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/ {2}delete {4}src\/integrations\/clients\/TwilioClient\.ts/);
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('refactor(integrations): remove twilio integration');
    expect(git(repo, 'show', '--name-status', '--format=', 'HEAD')).toContain('D\tsrc/integrations/clients/TwilioClient.ts');
    expect(existsSync(path.join(repo, 'src/integrations/clients/TwilioClient.ts'))).toBe(false);
  });

  it('shows a run whose process died as interrupted, with the resume command, and apply refuses it', () => {
    const repo = tempRepo();
    const runId = integrated(repo);
    const runDir = path.join(repo, 'pending-commits', runId);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const manifest = readManifestJson(runDir);
    writeManifestJson(runDir, { ...manifest, status: 'running', owner: { pid: Number(dead.stdout), host: manifest.owner!.host } });

    const runs = runCli(['runs'], repo);
    expect(runs.stdout).toMatch(new RegExp(`${runId}\\s+interrupted\\s+twilio.*orchestrate resume ${runId}`));
    const apply = runCli(['apply', runId], repo);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain(`is incomplete (interrupted); resume it with orchestrate resume ${runId}`);
  });

  it('says what to do with a bad run id or outside a git repository', () => {
    const repo = tempRepo();
    const none = runCli(['apply', 'nope'], repo);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^orchestrate: no run "nope": there are no runs in \S+; start one with orchestrate integrate <service>\n$/);
    const runs = runCli(['runs'], repo);
    expect(runs.stdout).toContain('No runs yet');
  });
});
