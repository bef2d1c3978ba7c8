import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from '../../../src/kinds/integration/catalog/catalog.js';
import { implementationFiles } from '../../../src/kinds/integration/templates/sources.js';
import { REPO_ROOT } from '../../helpers/workspace.js';

/**
 * The generated clients against a fake service on 127.0.0.1: real HTTP, the base URL taken from
 * `<SERVICE>_API_BASE_URL`, waits through an injected sleep and clock (nothing waits for real).
 */

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let dir = '';
let server: Server;
let base = '';
let replies: Reply[] = [];
let seen: Seen[] = [];
/** Called when the fake service has read a whole request. */
let arrived: () => void = () => undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-clients-'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const id of ['stripe', 'twilio', 'github', 'slack']) {
    for (const [file, content] of implementationFiles(requireService(id))) {
      mkdirSync(path.dirname(path.join(dir, id, file)), { recursive: true });
      writeFileSync(path.join(dir, id, file), content);
    }
  }
  server = createServer((req, res) => {
    const record = seen;
    const reply = replies.shift();
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      record.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      arrived();
      // No reply scripted: hold the request open, as a service that never answers.
      if (reply) reply(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

/** Imports a generated client and builds it against the fake service, with a recorded sleep and a clock it advances. */
async function client(id: string, cls: string, credentials: Record<string, string>, options: Record<string, unknown> = {}) {
  replies = [];
  seen = [];
  const module = (await import(/* @vite-ignore */ path.join(dir, id, `src/integrations/clients/${cls}.ts`))) as Record<string, new (c: unknown, o: unknown) => Record<string, (...args: unknown[]) => Promise<unknown>>>;
  const sleeps: number[] = [];
  let clock = 1_700_000_000_000;
  const prefix = id.toUpperCase();
  const instance = new module[cls]!(credentials, {
    env: { [`${prefix}_API_BASE_URL`]: `${base}/${id}` },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 0.5,
    requestsPerSecond: 0,
    ...options,
  });
  return { instance, sleeps, errors: module, now: () => clock };
}

describe('generated clients against a fake service on 127.0.0.1', () => {
  it('Stripe: a create retried after a 500 sends the same Idempotency-Key twice', async () => {
    const { instance } = await client('stripe', 'StripeClient', { stripeSecretKey: 'sk_test_123' });
    replies = [json(500, { error: { type: 'api_error', message: 'internal' } }), json(200, { id: 'pi_1', status: 'requires_payment_method', amount: 2000, currency: 'usd' })];
    await expect(instance.createPaymentIntent!({ amount: 2000, currency: 'usd' })).resolves.toMatchObject({ id: 'pi_1' });
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['POST', '/stripe/payment_intents'],
      ['POST', '/stripe/payment_intents'],
    ]);
    const keys = seen.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(new URLSearchParams(seen[0]!.body).get('amount')).toBe('2000');
  });

  it('Twilio: a send is not retried after a timeout', async () => {
    // The fake service never answers. The client's timeout abort is passed on to the real fetch only
    // once the service has read the request, so the send surely reached it, however slow the machine.
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const fetchAfterArrival = (url: string, init: RequestInit) => {
      const inner = new AbortController();
      init.signal?.addEventListener('abort', () => void received.then(() => inner.abort(init.signal?.reason)));
      return globalThis.fetch(url, { ...init, signal: inner.signal });
    };
    const { instance } = await client('twilio', 'TwilioClient', { twilioAccountSid: 'AC123', twilioAuthToken: 'token' }, { timeoutMs: 20, fetch: fetchAfterArrival });
    const error = await instance.sendMessage!({ To: '+15005550006', From: '+15005550001', Body: 'hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TwilioApiError', code: 'TIMEOUT', retryable: false });
    expect(seen.map((s) => [s.method, s.url])).toEqual([['POST', '/twilio/Accounts/AC123/Messages.json']]);
  });

  it('GitHub: a 403 with x-ratelimit-remaining: 0 waits for the reset, then succeeds', async () => {
    const { instance, sleeps, now } = await client('github', 'GitHubClient', { githubToken: 'ghp_test' });
    const reset = Math.floor(now() / 1000) + 90;
    replies = [
      json(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }),
      json(200, { id: 1, number: 7, html_url: 'https://github.com/o/r/issues/7', state: 'open' }),
    ];
    await expect(instance.createIssue!({ owner: 'o', repo: 'r', title: 'Bug' })).resolves.toMatchObject({ number: 7 });
    expect(sleeps).toEqual([90_000]);
    expect(seen).toHaveLength(2);
  });

  it('Slack: ok: false throws the typed error with Slack\'s code', async () => {
    const { instance, errors } = await client('slack', 'SlackClient', { slackBotToken: 'xoxb-test' });
    replies = [json(200, { ok: false, error: 'channel_not_found' })];
    const error = await instance.postMessage!({ channel: 'C1', text: 'hello' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.SlackApiError);
    expect(error).toMatchObject({ code: 'API_ERROR', serviceCode: 'channel_not_found', retryable: false });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.authorization).toBe('Bearer xoxb-test');
  });
});
