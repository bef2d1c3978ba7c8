import { describe, expect, it } from 'vitest';
import { prepareKind } from '../../src/kinds/registry.js';
import { createSecretScanner, declaredEnvVars, envValues } from '../../src/staging/secret-scan.js';
import { AWS_KEY, RSA_PRIVATE_KEY as PRIVATE_KEY, STRIPE_LIVE } from '../helpers/planted-secrets.js';

const scan = (content: string, values: Array<{ name: string; value: string }> = []) =>
  createSecretScanner(values).scan({ source: 'file', path: 'src/config.ts', content });

describe('secret scan', () => {
  it('finds an AWS access key id with its line and column, and masks it', async () => {
    const findings = await scan(`// config\nexport const key = '${AWS_KEY}';\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: 'src/config.ts', line: 2, column: 21, rule: '@secretlint/secretlint-rule-aws' });
    expect(findings[0]!.message).not.toContain(AWS_KEY);
  });

  it('finds a private key block', async () => {
    const findings = await scan(`const a = 1;\nconst pem = \`\n${PRIVATE_KEY}\n\`;\n`);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['@secretlint/secretlint-rule-privatekey', 3]]);
  });

  it('finds a Stripe live key but not a test or publishable key', async () => {
    const test = ['sk', 'test', '51H8abcdEFGHijklMNOPqrstUVwxyz0123'].join('_');
    const publishable = ['pk', 'live', '51H8abcdEFGHijklMNOPqrstUVwxyz0123'].join('_');
    const findings = await scan(`a = '${test}'\nb = '${publishable}'\nc = '${STRIPE_LIVE}'\n`);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['orchestrate/stripe-live-key', 3]]);
    expect(findings[0]!.message).not.toContain(STRIPE_LIVE);
  });

  it('finds the value of a declared environment variable, naming the variable only', async () => {
    const token = 'f3a9c0e1d2b4a5968778695a4b3c2d1e';
    const findings = await scan(`const token = "${token}";\n`, [{ name: 'TWILIO_AUTH_TOKEN', value: token }]);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'orchestrate/env-value', line: 1, message: 'found the value of environment variable TWILIO_AUTH_TOKEN' }),
    ]);
  });

  it('cannot be silenced by a secretlint-disable comment in the scanned text', async () => {
    const findings = await scan(`// secretlint-disable\nconst key = '${AWS_KEY}';\n`);
    expect(findings).toHaveLength(1);
  });

  it('reports nothing for ordinary code and placeholders', async () => {
    const findings = await scan(`export const sid = process.env.TWILIO_ACCOUNT_SID ?? '';\n# TWILIO_AUTH_TOKEN=your-auth-token\nconst example = 'AKIAIOSFODNN7EXAMPLE';\n`);
    expect(findings).toEqual([]);
  });
});

describe('declared environment variables', () => {
  it('come from the kind (the catalog entry), the run, and inputs that name variables', async () => {
    const known = (await prepareKind('integration', { service: 'twilio' }, { offline: true })).secretEnvVars;
    const names = declaredEnvVars({ service: 'twilio', tokenVar: 'ACME_API_TOKEN' }, [...known, 'EXTRA_SECRET']);
    expect(names).toEqual(expect.arrayContaining(['TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID', 'ACME_API_TOKEN', 'EXTRA_SECRET']));
    expect(declaredEnvVars({ service: 'not-in-catalog' })).toEqual([]);
  });

  it('keep only values that are set and long enough to mean a leak', () => {
    const values = envValues(['A_LONG', 'A_SHORT', 'A_MISSING'], { A_LONG: 'abcdefgh12', A_SHORT: 'true' });
    expect(values).toEqual([{ name: 'A_LONG', value: 'abcdefgh12' }]);
  });
});
