import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runWorkflow } from '../../src/index.js';
import { UserError } from '../../src/errors.js';
import { itNeeding } from '../helpers/needs.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const note = (runDir: string, name: string) => readFileSync(path.join(runDir, 'notes', name), 'utf8');
const staged = (runDir: string, file: string) => readFileSync(path.join(runDir, 'files/node_modules', file), 'utf8');

/** A testing-engineer without Bash: the offline model then writes the tests but cannot run them. */
const NO_BASH_AGENT = `---
name: testing-engineer
description: Writes tests for integrations.
tools: Read, Write, Edit, Glob, Grep
---
Write the tests.
`;

describe('orchestrate integrate, offline, beyond twilio', () => {
  itNeeding(['bwrap'], 'stripe: the generated tests are run and the report carries the counts seen; a second run reuses the expertise', async () => {
    const cwd = tempRepo();
    const first = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, approve: 'auto', runtime: { env: {} } });
    expect(first.status).toBe('complete');
    const tests = first.report.integration?.testing as { ran: boolean; passed: number; failed: number } | undefined;
    expect(tests).toMatchObject({ ran: true, failed: 0 });
    expect(tests!.passed).toBeGreaterThanOrEqual(17);
    expect(note(first.runDir, 'test-run.md')).toMatch(/typecheck under strict mode passed/);
    expect(staged(first.runDir, 'src/integrations/webhooks/StripeWebhookHandler.ts')).toMatch(/t=<unix>,v1=<sig>|Stripe-Signature/);
    expect(note(first.runDir, 'integration-plan.md')).toMatch(/No catalog entry for stripe yet/);

    const second = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, approve: 'auto', runtime: { env: {} } });
    const plan = note(second.runDir, 'integration-plan.md');
    const reused = plan.slice(plan.indexOf('## From expertise (reused)'), plan.indexOf('## Environment variables'));
    expect(reused).toMatch(/Catalog entry for stripe \(from an earlier run\)/);
    // Learnings record what the first run observed, not what the catalog says.
    expect(reused).toMatch(/- Learning: Stripe generated tests ran under vitest in the sandbox: \d+ passed, 0 failed/);
    expect(reused).toMatch(/- Learning: Stripe integration files live in src\/integrations\//);
    expect(reused).not.toMatch(/signs webhooks with/);
    const expertise = parse(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8'));
    const insights = (expertise.learnings as Array<{ insight: string; service?: string; seen?: number }>).filter((l) => l.service === 'stripe');
    expect(insights.length).toBeGreaterThan(0);
    expect(new Set(insights.map((l) => l.insight)).size).toBe(insights.length);
    expect(insights.every((l) => l.seen === 2)).toBe(true);
    expect(expertise.integrations_catalog.payments.filter((e: { name: string }) => e.name === 'stripe')).toHaveLength(1);
  }, 120_000);

  itNeeding(['bwrap'], 'postgresql: a connection module with its tests run, and the notes say what was not run', async () => {
    const cwd = tempRepo();
    const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'postgresql' }, cwd, approve: 'auto', runtime: { env: {} } });
    expect(result.status).toBe('complete');
    const files = result.stagedFiles.map((f) => f.path);
    expect(files).toContain('src/integrations/connections/PostgresConnection.ts');
    expect(files).not.toContain('src/integrations/clients/PostgresClient.ts');
    expect(staged(result.runDir, 'src/integrations/connections/PostgresConnection.ts')).toMatch(/new pg\.Pool\(/);
    expect(result.report.integration?.testing).toMatchObject({ ran: true, failed: 0 });
    expect(note(result.runDir, 'test-run.md')).toMatch(/## Not run\n- Nothing here talks to a live PostgreSQL server/);
  }, 120_000);

  itNeeding(['bwrap'], 'netlify (outside SERVICES.md): a JWS webhook handler, tests run and pass, the review finds nothing, the notes say UNVERIFIED', async () => {
    const cwd = tempRepo();
    const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'netlify' }, cwd, approve: 'auto', runtime: { env: {} } });
    expect(result.status).toBe('complete');
    expect(staged(result.runDir, 'src/integrations/webhooks/NetlifyWebhookHandler.ts')).toMatch(/UNVERIFIED: confirm against the service docs[\s\S]*jwsHeader\.data\.alg !== 'HS256'/);
    expect(result.report.integration?.testing).toMatchObject({ ran: true, failed: 0 });
    expect(note(result.runDir, 'security-review.md')).not.toMatch(/critical|high/i);
    expect(note(result.runDir, 'research.md')).toMatch(/UNVERIFIED: Netlify is not in SERVICES\.md/);
  }, 120_000);

  itNeeding(['bwrap'], 'aws-lambda: a compute connection module with its tests run; no API client', async () => {
    const cwd = tempRepo();
    const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'lambda' }, cwd, approve: 'auto', runtime: { env: {} } });
    expect(result.status).toBe('complete');
    const files = result.stagedFiles.map((f) => f.path);
    expect(files).toContain('src/integrations/connections/LambdaConnection.ts');
    expect(files.some((f) => f.includes('/clients/'))).toBe(false);
    expect(result.report.integration?.testing).toMatchObject({ ran: true, failed: 0 });
    expect(note(result.runDir, 'test-run.md')).toMatch(/## Not run\n- Nothing here talks to a live AWS Lambda server/);
    expect(staged(result.runDir, 'docs/integrations/aws-lambda.md')).toMatch(/## Connection API/);
  }, 120_000);

  it('custom-api <url>: unknowns are marked for the user; without run_tests the tests are reported as not run', async () => {
    const cwd = tempRepo({ 'agents/testing-engineer.md': NO_BASH_AGENT });
    const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'custom-api', url: 'https://api.acme-corp.io/v2' }, cwd, approve: 'auto', runtime: { env: {} } });
    expect(result.status).toBe('complete');
    expect(result.stagedFiles.map((f) => f.path)).toContain('src/integrations/clients/AcmeCorpClient.ts');
    expect(note(result.runDir, 'research.md')).toMatch(/UNVERIFIED: Authentication scheme and credential name/);
    expect(staged(result.runDir, '.env.example')).toMatch(/ACME_CORP_API_TOKEN=/);
    expect(result.report.integration?.testing).toMatchObject({ ran: false, passed: 0, summary: expect.stringMatching(/no run_tests tool/) });
  }, 60_000);

  it('an unknown service, or custom-api without a url, fails with a user error and writes nothing', async () => {
    const cwd = tempRepo();
    await expect(runWorkflow({ workflow: 'integrate', inputs: { service: 'twillio' }, cwd, approve: 'auto', runtime: { env: {} } })).rejects.toThrow(
      /unknown service "twillio": did you mean twilio\?/,
    );
    await expect(runWorkflow({ workflow: 'integrate', inputs: { service: 'custom-api' }, cwd, approve: 'auto', runtime: { env: {} } })).rejects.toBeInstanceOf(UserError);
    expect(runFolders(cwd)).toEqual([]);
    expect(existsSync(path.join(cwd, 'expertise'))).toBe(false);
  });
});
