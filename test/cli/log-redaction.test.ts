import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, redactValues, secretValues } from '../../src/runtime/logger.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function logFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-log-'));
  dirs.push(dir);
  return path.join(dir, 'run.log');
}

const TOKEN = 'tw-auth-9f8e7d6c5b4a3210';
const API_KEY = 'sk-ant-api03-planted-key-0123456789';

describe('run log redaction', () => {
  it('cuts secrets by field path and by value, wherever the value appears', () => {
    const file = logFile();
    const env = { TWILIO_AUTH_TOKEN: TOKEN, ANTHROPIC_API_KEY: API_KEY, SHORT: 'abc', HOME: '/home/me' };
    const logger = createFileLogger(file, { level: 'debug', secrets: secretValues(env, ['TWILIO_AUTH_TOKEN', 'SHORT']) });
    logger.info({ request: { apiKey: 'path-only-secret-value' }, headers: { authorization: 'Bearer abc.def.ghi' } }, 'request sent');
    logger.debug({ deep: { nested: { list: [`token is ${TOKEN}`] } } }, `prompt mentions ${API_KEY} in text`);
    logger.warn({ error: { message: `401 for key ${API_KEY.slice(0, 20)}` } }, 'a prefix alone is not the secret');
    logger.flush();
    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('path-only-secret-value');
    expect(text).not.toContain('abc.def.ghi');
    expect(lines[0]).toMatchObject({ request: { apiKey: '[redacted]' }, headers: { authorization: '[redacted]' } });
    expect(lines[1]).toMatchObject({ msg: 'prompt mentions [redacted] in text', deep: { nested: { list: ['token is [redacted]'] } } });
    // Values under 8 characters are not hunted in text (too common); everything else stays readable.
    // A variable whose name looks secret (TWILIO_AUTH_TOKEN) is a secret without being named; HOME is not.
    expect(secretValues(env, ['SHORT']).sort()).toEqual([API_KEY, TOKEN].sort());
    expect(secretValues({ HOME: '/home/me/projects', PWD: '/home/me/projects', SSH_AUTH_SOCK: '/tmp/ssh-agent.sock', AWS_ACCESS_KEY_ID_FILE: '/run/secrets/id' })).toEqual([]);
    expect(secretValues({ STRIPE_SECRET_KEY: 'sk_test_123456789', DB_PASSWORD: 'hunter2-hunter2', ACME_ACCOUNT_SID: 'AC0123456789', GH_TOKEN: 'gho_0123456789' }).sort()).toHaveLength(4);
    expect(lines[2]!.msg).toBe('a prefix alone is not the secret');
  });

  it('finds a secret with quotes or backslashes in its JSON-escaped form', () => {
    const secret = 'pa"ss\\word-123456';
    const line = JSON.stringify({ msg: `value ${secret}` });
    expect(line).not.toContain(secret);
    expect(redactValues(line, [secret])).toBe(JSON.stringify({ msg: 'value [redacted]' }));
  });

  it('redacts the longest secret first, so one inside another is cut whole', () => {
    expect(redactValues('x ABCDEFGH-12345678 y', ['ABCDEFGH', 'ABCDEFGH-12345678'])).toBe('x [redacted] y');
  });
});
