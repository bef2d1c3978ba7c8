import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../src/runtime/redact.js';
import { createSecretScanner } from '../../src/staging/secret-scan.js';
import { AWS_KEY, OPENSSH_PRIVATE_KEY, RSA_PRIVATE_KEY, STRIPE_LIVE } from '../helpers/planted-secrets.js';

const GITHUB = ['ghp', 'Z3MSJV4WWNKWW5FGZ3MSJV4WWNKWW5FG1234'].join('_');
const SLACK = ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const BASIC_AUTH = 'https://deploy:' + 'hunter2-Passw0rd' + '@example.com/repo.git';

describe('the run redactor', () => {
  it('cuts secrets inside the engine\'s event records (class instances), leaving clean ones as they are', () => {
    class Record {
      readonly type = 'task-end';
      constructor(readonly error: { message: string }) {}
    }
    const redactor = createRedactor(['tw-auth-0123456789']);
    const clean = new Record({ message: 'nothing to hide' });
    expect(redactor.value(clean)).toBe(clean);
    const out = redactor.value(new Record({ message: 'failed with tw-auth-0123456789' }));
    expect(out).toEqual({ type: 'task-end', error: { message: `failed with ${REDACTED}` } });
  });

  it.each([
    ['an AWS access key id', AWS_KEY],
    ['a Stripe live key', STRIPE_LIVE],
    ['an RSA private key', RSA_PRIVATE_KEY],
    ['an OpenSSH private key', OPENSSH_PRIVATE_KEY],
    ['a GitHub token', GITHUB],
    ['a Slack bot token', SLACK],
  ])('cuts %s, which the secret scan also reports', async (_name, secret) => {
    const findings = await createSecretScanner().scan({ source: 'file', path: 'a.txt', content: `value: ${secret}\n` });
    expect(findings.length).toBeGreaterThan(0);
    const out = createRedactor().text(`before ${secret} after`);
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it('cuts the values of the run secrets wherever they are, longest first, and the password of a URL', () => {
    const redactor = createRedactor(['tw-auth-0123456789', 'short']);
    redactor.add(['tw-auth-0123456789-and-more']);
    expect(redactor.text('a tw-auth-0123456789-and-more b tw-auth-0123456789 c short')).toBe(`a ${REDACTED} b ${REDACTED} c short`);
    expect(redactor.text(`clone ${BASIC_AUTH}`)).toBe(`clone https://deploy:${REDACTED}@example.com/repo.git`);
  });

  it('copies only what it changed, so clean events cost one pass and no allocation', () => {
    const redactor = createRedactor(['tw-auth-0123456789']);
    const clean = { type: 'tool-call', detail: 'src/a.ts', nested: { list: ['x', 'y'] } };
    expect(redactor.value(clean)).toBe(clean);
    const dirty = { type: 'task-end', result: { summary: 'token tw-auth-0123456789', files: ['a'] }, usage: { turns: 1 } };
    const out = redactor.value(dirty);
    expect(out).toEqual({ type: 'task-end', result: { summary: `token ${REDACTED}`, files: ['a'] }, usage: { turns: 1 } });
    expect(out.usage).toBe(dirty.usage);
    expect(dirty.result.summary).toBe('token tw-auth-0123456789');
  });

  it('leaves ordinary text alone: hashes, ids, paths and URLs without passwords', () => {
    const text = 'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 run 20261125-134058-attack-86ad32 https://api.twilio.com/2010-04-01 src/integrations/twilio/client.ts';
    expect(createRedactor().text(text)).toBe(text);
  });
});
