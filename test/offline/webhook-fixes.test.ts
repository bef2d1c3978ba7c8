import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { Webhook } from 'standardwebhooks';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from '../../src/kinds/integration/catalog/catalog.js';
import { implementationFiles, persistenceFiles } from '../../src/kinds/integration/templates/sources.js';
import { REPO_ROOT } from '../helpers/workspace.js';
import { nowS } from './verifier-harness.js';

/**
 * The last disagreements with the official SDKs and the replay holes: Twilio's port variants,
 * the Anthropic secret without whsec_, Slack's form-encoded payloads, a replay key from signed
 * content, and what toleranceSeconds: 0 means.
 */

interface Handler {
  verify(request: unknown): Promise<boolean>;
  handle(request: unknown): Promise<{ status: number; body: string }>;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-webhook-fixes-'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const id of ['twilio', 'anthropic', 'openai', 'slack', 'github', 'stripe']) {
    for (const [file, content] of [...implementationFiles(requireService(id)), ...persistenceFiles(requireService(id))]) {
      mkdirSync(path.dirname(path.join(dir, id, file)), { recursive: true });
      writeFileSync(path.join(dir, id, file), content);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function handler(id: string, secret: string, options: Record<string, unknown> = {}): Promise<Handler> {
  const entry = requireService(id);
  const module = (await import(/* @vite-ignore */ path.join(dir, id, `src/integrations/webhooks/${entry.className}WebhookHandler.ts`))) as Record<string, new (...args: unknown[]) => Handler>;
  const store = (await import(/* @vite-ignore */ path.join(dir, id, 'src/integrations/persistence/IdempotencyStore.ts'))) as { InMemoryIdempotencyStore: new () => unknown };
  return new module[`${entry.className}WebhookHandler`]!(secret, new store.InMemoryIdempotencyStore(), {}, options);
}

describe('webhook verifiers agree with the official SDKs on the last cases', () => {
  it('Twilio: a signature made with or without the default port verifies either way, as in twilio-node', async () => {
    const token = 'twilio-auth-token-1234';
    const verifier = await handler('twilio', token);
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const rawBody = new URLSearchParams(params).toString();
    for (const [signedUrl, seenUrl] of [
      ['https://example.test:443/webhooks/twilio', 'https://example.test/webhooks/twilio'],
      ['https://example.test/webhooks/twilio', 'https://example.test:443/webhooks/twilio'],
    ] as const) {
      const signature = twilio.getExpectedTwilioSignature(token, signedUrl, params);
      expect(twilio.validateRequest(token, signature, seenUrl, params)).toBe(true);
      const request = { url: seenUrl, rawBody, headers: { 'X-Twilio-Signature': signature, 'content-type': 'application/x-www-form-urlencoded' } };
      expect(await verifier.verify(request)).toBe(true);
    }
    const wrongPort = twilio.getExpectedTwilioSignature(token, 'https://example.test:8443/webhooks/twilio', params);
    expect(await verifier.verify({ url: 'https://example.test/webhooks/twilio', rawBody, headers: { 'X-Twilio-Signature': wrongPort, 'content-type': 'application/x-www-form-urlencoded' } })).toBe(false);
  });

  it('Anthropic: a key without whsec_ is base64-decoded as the SDK (standardwebhooks) does; OpenAI keeps it as UTF-8', async () => {
    const key = Buffer.from('anthropic-signing-key-32-bytes!!').toString('base64');
    const rawBody = '{"id":"evt_1","type":"event","created_at":"2026-01-01T00:00:00Z","data":{"type":"agent.created","id":"a1"}}';
    // One timestamp for the signature and its header: two reads of the clock can straddle a second.
    const signedAt = nowS();
    const signature = new Webhook(key).sign('msg_1', new Date(signedAt * 1000), rawBody);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(signedAt), 'webhook-signature': signature };
    expect(() => new Webhook(key).verify(rawBody, headers)).not.toThrow();
    expect(await (await handler('anthropic', key)).verify({ url: 'https://example.test/', rawBody, headers })).toBe(true);

    const plain = 'openai-plain-secret';
    const openai = new OpenAI({ apiKey: 'x', webhookSecret: plain });
    const ts = nowS();
    const sig = `v1,${createHmac('sha256', Buffer.from(plain, 'utf8')).update(`msg_2.${ts}.${rawBody}`).digest('base64')}`;
    const openaiHeaders = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(ts), 'webhook-signature': sig };
    await expect(openai.webhooks.verifySignature(rawBody, openaiHeaders)).resolves.toBeUndefined();
    expect(await (await handler('openai', plain)).verify({ url: 'https://example.test/', rawBody, headers: openaiHeaders })).toBe(true);
  });

  it('Standard Webhooks: a signed empty or non-JSON body is refused after the signature check, as unwrap refuses it', async () => {
    const key = 'whsec_' + Buffer.from('openai-signing-key-32-bytes-long').toString('base64');
    const verifier = await handler('openai', key);
    for (const rawBody of ['', 'not json']) {
      const signedAt = nowS();
      const signature = new Webhook(key).sign('msg_3', new Date(signedAt * 1000), rawBody);
      const request = { url: 'https://example.test/', rawBody, headers: { 'webhook-id': 'msg_3', 'webhook-timestamp': String(signedAt), 'webhook-signature': signature } };
      expect(await verifier.verify(request)).toBe(true);
      expect((await verifier.handle(request)).status).toBe(400);
    }
  });

  it('Slack: slash commands and interactivity payloads, form-encoded, are handled, not answered 400', async () => {
    const secret = 'slack-signing-secret';
    const verifier = await handler('slack', secret);
    const ts = String(nowS());
    const signed = (rawBody: string) => ({
      url: 'https://example.test/webhooks/slack',
      rawBody,
      headers: { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${rawBody}`).digest('hex')}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const command = await verifier.handle(signed('command=%2Fdeploy&text=v1.4.2&trigger_id=13345224609.738474920.8088930838d88f008e0&team_id=T1'));
    expect(command).toEqual({ status: 200, body: 'ignored: no handler for slash_command.deploy' });
    const action = await verifier.handle(signed(`payload=${encodeURIComponent('{"type":"block_actions","trigger_id":"1.2.3","actions":[]}')}`));
    expect(action).toEqual({ status: 200, body: 'ignored: no handler for interactivity.block_actions' });
  });

  it('GitHub: the replay key comes from the signed body, not the unsigned X-GitHub-Delivery header', async () => {
    const secret = 'github-webhook-secret';
    const verifier = await handler('github', secret);
    const rawBody = requireService('github').webhook!.sampleBody;
    const request = (delivery: string) => ({
      url: 'https://example.test/webhooks/github',
      rawBody,
      headers: { 'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`, 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': delivery },
    });
    expect(await verifier.handle(request('delivery-1'))).toMatchObject({ status: 200, body: 'ignored: no handler for push' });
    // The same signed delivery replayed under a new delivery id is a duplicate.
    expect(await verifier.handle(request('delivery-2'))).toMatchObject({ status: 200, body: 'duplicate delivery ignored' });
  });

  it('toleranceSeconds: 0 turns the check off for Stripe, as in stripe-node; elsewhere it is refused', async () => {
    const secret = 'whsec_stripe';
    const stripe = await handler('stripe', secret, { toleranceSeconds: 0 });
    const rawBody = requireService('stripe').webhook!.sampleBody;
    const old = nowS() - 86_400;
    const signature = `t=${old},v1=${createHmac('sha256', secret).update(`${old}.${rawBody}`).digest('hex')}`;
    expect(await stripe.verify({ url: 'https://example.test/', rawBody, headers: { 'Stripe-Signature': signature } })).toBe(true);
    expect(await (await handler('stripe', secret)).verify({ url: 'https://example.test/', rawBody, headers: { 'Stripe-Signature': signature } })).toBe(false);
    await expect(handler('slack', 'slack-signing-secret', { toleranceSeconds: 0 })).rejects.toThrow(/toleranceSeconds must be a positive number/);
  });
});
