import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRun } from '../../src/git/apply-run.js';
import { AWS_KEY, OPENSSH_PRIVATE_KEY as PRIVATE_KEY, STRIPE_LIVE } from '../helpers/planted-secrets.js';
import { tempRepo } from '../helpers/workspace.js';
import { completedRun, git, plant, readManifestJson, writeManifestJson } from './run-fixture.js';

const cases = [
  { name: 'an AWS access key', file: 'src/integrations/twilio/aws.ts', content: `// storage\n\nexport const accessKeyId = '${AWS_KEY}';\n`, line: 3, rule: '@secretlint/secretlint-rule-aws' },
  { name: 'a private key block', file: 'config/deploy-key.pem', content: `# deploy key\n${PRIVATE_KEY}\n`, line: 2, rule: '@secretlint/secretlint-rule-privatekey' },
  { name: 'a Stripe live key', file: 'src/integrations/twilio/billing.ts', content: `export const config = {\n  currency: 'usd',\n  secretKey: '${STRIPE_LIVE}',\n};\n`, line: 3, rule: 'orchestrate/stripe-live-key' },
];

describe('orchestrate apply and the secret scan', () => {
  it.each(cases)('$name in a staged file blocks apply, naming the file and line', async ({ file, content, line, rule }) => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    plant(runDir, file, content);

    const attempt = applyRun({ workspace: repo, runId, env: {} });

    await expect(attempt).rejects.toMatchObject({ code: 'SECRETS_FOUND', exitCode: 2 });
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`${file}:${line}:`);
    expect(message).toContain(rule);
    expect(message).not.toContain(content.split('\n')[line - 1]!.trim());
    expect(git(repo, 'branch', '--list', 'integration/*')).toBe('');
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    const manifest = readManifestJson(runDir);
    expect(manifest.status).toBe('complete');
    expect(manifest.findings).toContainEqual(expect.objectContaining({ source: 'file', path: file, line, rule }));
  });

  it('blocks on the value of a variable the service declares, read from the environment at apply', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const token = '7f1e2d3c4b5a69788796a5b4c3d2e1f0';
    plant(runDir, 'src/integrations/twilio/local.ts', `export const token = '${token}';\n`);

    await expect(applyRun({ workspace: repo, runId, env: { TWILIO_AUTH_TOKEN: token } })).rejects.toMatchObject({
      code: 'SECRETS_FOUND',
      message: expect.stringContaining('src/integrations/twilio/local.ts:1:23 orchestrate/env-value: found the value of environment variable TWILIO_AUTH_TOKEN'),
    });
  });

  it('applies the same run once the secret is removed from the staged file', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    plant(runDir, 'src/integrations/twilio/billing.ts', `export const key = '${STRIPE_LIVE}';\n`);
    await expect(applyRun({ workspace: repo, runId, env: {} })).rejects.toMatchObject({ code: 'SECRETS_FOUND' });

    // A reviewer edits the staged file (the manifest still has the run's hash).
    writeFileSync(`${runDir}/files/node_modules/src/integrations/twilio/billing.ts`, 'export const key = process.env.STRIPE_SECRET_KEY;\n');
    const result = await applyRun({ workspace: repo, runId, env: {} });

    expect(result.outcome).toBe('applied');
    expect(result.changes).toContainEqual(expect.objectContaining({ path: 'src/integrations/twilio/billing.ts', edited: true }));
    expect(readManifestJson(runDir).findings.filter((f) => f.source !== 'learning')).toEqual([]);
  });
});

describe('findings recorded by the run', () => {
  it('still block apply when the environment at apply lacks the value, until the file is edited', async () => {
    const repo = tempRepo();
    const { runId, runDir } = await completedRun(repo);
    const token = '7f1e2d3c4b5a69788796a5b4c3d2e1f0';
    plant(runDir, 'src/integrations/twilio/local.ts', `export const token = '${token}';\n`);
    // As the run's own scan records it when TWILIO_AUTH_TOKEN was set in the run's environment.
    const manifest = readManifestJson(runDir);
    const finding = { source: 'file' as const, path: 'src/integrations/twilio/local.ts', line: 1, column: 23, rule: 'orchestrate/env-value', message: 'found the value of environment variable TWILIO_AUTH_TOKEN' };
    writeManifestJson(runDir, { ...manifest, findings: [finding] });

    await expect(applyRun({ workspace: repo, runId, env: {} })).rejects.toMatchObject({ code: 'SECRETS_FOUND', message: expect.stringContaining('local.ts:1:23 orchestrate/env-value') });

    writeFileSync(path.join(runDir, 'files/node_modules/src/integrations/twilio/local.ts'), 'export const token = process.env.TWILIO_AUTH_TOKEN;\n');
    await expect(applyRun({ workspace: repo, runId, env: {} })).resolves.toMatchObject({ outcome: 'applied' });
  });
});
