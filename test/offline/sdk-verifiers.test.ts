import { createHmac, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import '@shopify/shopify-api/adapters/node';
import { shopifyApi, ApiVersion } from '@shopify/shopify-api';
import { isValidSlackRequest } from '@slack/bolt';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import Anthropic from '@anthropic-ai/sdk';
import { verifyKey } from 'discord-interactions';
import OpenAI from 'openai';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { requireService } from '../../src/kinds/integration/catalog/catalog.js';
import { generatedHandlers, nowS, tamper, type Request, type Vector } from './verifier-harness.js';

/**
 * The generated verifier against each official SDK's verify function, on the same vectors:
 * valid, tampered body, wrong secret and, where the scheme has a timestamp, stale.
 */
interface Case {
  service: string;
  /** What the handler is constructed with. */
  secret: string;
  vectors: () => Vector[] | Promise<Vector[]>;
  sdkAccepts: (request: Request) => boolean | Promise<boolean>;
}

const URL_ = 'https://example.test/webhooks/hook?tenant=1';
const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
const accepts = async (check: () => unknown) => {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
};

/** The four standard vectors from one signing function `(body, secret, timestampSeconds) => request`. */
function standard(sign: (body: string, secret: string | 'wrong', ts: number) => Request, body: string, stale: boolean): Vector[] {
  const valid = sign(body, 'right', nowS());
  return [
    { name: 'valid', request: valid, valid: true },
    { name: 'tampered body', request: { ...valid, rawBody: tamper(valid.rawBody) }, valid: false },
    { name: 'wrong secret', request: sign(body, 'wrong', nowS()), valid: false },
    ...(stale ? [{ name: 'stale timestamp', request: sign(body, 'right', nowS() - 600), valid: false }] : []),
  ];
}

const stripeSecret = 'whsec_test_secret_for_stripe';
const stripe = new Stripe('sk_test_placeholder');
const twilioToken = 'twilio-auth-token-1234';
const slackSecret = 'slack-signing-secret-1234';
const githubSecret = 'github-webhook-secret';
const shopifySecret = 'shopify-api-secret-key';
const shopify = shopifyApi({ apiKey: 'key', apiSecretKey: shopifySecret, apiVersion: ApiVersion.January25, hostName: 'app.example.test', isEmbeddedApp: false, logger: { level: 0 } });
const discordPair = generateKeyPairSync('ed25519');
const discordWrong = generateKeyPairSync('ed25519');
const discordPublicHex = discordPair.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
const sendgridPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sendgridWrong = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sendgridPublic = sendgridPair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const swSecret = 'whsec_' + Buffer.from('standard-webhooks-secret-32-byte').toString('base64');
const swWrong = 'whsec_' + Buffer.from('another-standard-webhooks-secret').toString('base64');

function standardWebhooksSign(body: string, secret: string, ts: number): Request {
  const signature = new Webhook(secret === 'wrong' ? swWrong : swSecret).sign('msg_1', new Date(ts * 1000), body);
  return { url: URL_, rawBody: body, headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature } };
}

const CASES: Case[] = [
  {
    service: 'stripe',
    secret: stripeSecret,
    vectors: () => {
      const body = requireService('stripe').webhook!.sampleBody;
      const sign = (b: string, s: string, ts: number): Request => ({
        url: URL_,
        rawBody: b,
        headers: { 'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload: b, secret: s === 'wrong' ? 'whsec_wrong' : stripeSecret, timestamp: ts }) },
      });
      const valid = sign(body, 'right', nowS());
      const other = createHmac('sha256', 'whsec_wrong').update(`${nowS()}.${body}`).digest('hex');
      return [
        ...standard(sign, body, true),
        { name: 'two v1 signatures, one valid', request: { ...valid, headers: { 'Stripe-Signature': `${valid.headers['Stripe-Signature']},v1=${other}` } }, valid: true },
        { name: 'v0 scheme only', request: { ...valid, headers: { 'Stripe-Signature': valid.headers['Stripe-Signature']!.replace('v1=', 'v0=') } }, valid: false },
      ];
    },
    sdkAccepts: (r) => accepts(() => stripe.webhooks.constructEvent(r.rawBody, r.headers['Stripe-Signature']!, stripeSecret)),
  },
  {
    service: 'twilio',
    secret: twilioToken,
    vectors: () => {
      const body = requireService('twilio').webhook!.sampleBody;
      const sign = (b: string, s: string): Request => ({
        url: URL_,
        rawBody: b,
        headers: {
          'X-Twilio-Signature': twilio.getExpectedTwilioSignature(s === 'wrong' ? 'wrong-token' : twilioToken, URL_, Object.fromEntries(new URLSearchParams(b))),
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      return standard(sign, body, false);
    },
    sdkAccepts: (r) => twilio.validateRequest(twilioToken, r.headers['X-Twilio-Signature']!, r.url, Object.fromEntries(new URLSearchParams(r.rawBody))),
  },
  {
    service: 'slack',
    secret: slackSecret,
    vectors: () => {
      const body = requireService('slack').webhook!.sampleBody;
      const sign = (b: string, s: string, ts: number): Request => ({
        url: URL_,
        rawBody: b,
        headers: {
          'X-Slack-Signature': 'v0=' + createHmac('sha256', s === 'wrong' ? 'wrong' : slackSecret).update(`v0:${ts}:${b}`).digest('hex'),
          'X-Slack-Request-Timestamp': String(ts),
        },
      });
      return standard(sign, body, true);
    },
    sdkAccepts: (r) =>
      isValidSlackRequest({
        signingSecret: slackSecret,
        body: r.rawBody,
        headers: { 'x-slack-signature': r.headers['X-Slack-Signature']!, 'x-slack-request-timestamp': Number(r.headers['X-Slack-Request-Timestamp']) },
      }),
  },
  {
    service: 'github',
    secret: githubSecret,
    vectors: async () => {
      const body = requireService('github').webhook!.sampleBody;
      const headers = async (b: string, s: string) => ({ 'X-Hub-Signature-256': await githubSign(s === 'wrong' ? 'wrong' : githubSecret, b), 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'd-1' });
      const valid = { url: URL_, rawBody: body, headers: await headers(body, 'right') };
      return [
        { name: 'valid', request: valid, valid: true },
        { name: 'tampered body', request: { ...valid, rawBody: tamper(body) }, valid: false },
        { name: 'wrong secret', request: { ...valid, headers: await headers(body, 'wrong') }, valid: false },
        { name: 'signature without sha256= prefix', request: { ...valid, headers: { ...valid.headers, 'X-Hub-Signature-256': valid.headers['X-Hub-Signature-256'].slice(7) } }, valid: false },
      ];
    },
    sdkAccepts: (r) => accepts(async () => {
      if (!(await githubVerify(githubSecret, r.rawBody, r.headers['X-Hub-Signature-256']!))) throw new Error('invalid');
    }),
  },
  {
    service: 'shopify',
    secret: shopifySecret,
    vectors: () => {
      const body = requireService('shopify').webhook!.sampleBody;
      const sign = (b: string, s: string): Request => ({
        url: URL_,
        rawBody: b,
        headers: {
          'X-Shopify-Hmac-Sha256': createHmac('sha256', s === 'wrong' ? 'wrong' : shopifySecret).update(b).digest('base64'),
          'X-Shopify-Topic': 'orders/create',
          'X-Shopify-Shop-Domain': 'demo.myshopify.com',
          'X-Shopify-API-Version': '2025-01',
          'X-Shopify-Webhook-Id': 'wh-1',
        },
      });
      const valid = sign(body, 'right');
      const { ['X-Shopify-Webhook-Id']: _dropped, ...withoutId } = valid.headers;
      return [...standard(sign, body, false), { name: 'missing X-Shopify-Webhook-Id', request: { ...valid, headers: withoutId }, valid: false }];
    },
    sdkAccepts: async (r) => {
      const result = await shopify.webhooks.validate({ rawBody: r.rawBody, rawRequest: { headers: lower(r.headers), method: 'POST', url: '/webhooks' } as never, rawResponse: {} as never });
      return result.valid;
    },
  },
  {
    service: 'discord',
    secret: discordPublicHex,
    vectors: () => {
      const body = requireService('discord').webhook!.sampleBody;
      const sign = (b: string, s: string, ts: number): Request => ({
        url: URL_,
        rawBody: b,
        headers: { 'X-Signature-Ed25519': cryptoSign(null, Buffer.from(String(ts) + b), (s === 'wrong' ? discordWrong : discordPair).privateKey).toString('hex'), 'X-Signature-Timestamp': String(ts) },
      });
      return standard(sign, body, false);
    },
    sdkAccepts: (r) => verifyKey(r.rawBody, r.headers['X-Signature-Ed25519']!, r.headers['X-Signature-Timestamp']!, discordPublicHex),
  },
  {
    service: 'sendgrid',
    secret: sendgridPublic,
    vectors: () => {
      const body = requireService('sendgrid').webhook!.sampleBody;
      const sign = (b: string, s: string, ts: number): Request => ({
        url: URL_,
        rawBody: b,
        headers: {
          'X-Twilio-Email-Event-Webhook-Signature': cryptoSign('sha256', Buffer.from(String(ts) + b), (s === 'wrong' ? sendgridWrong : sendgridPair).privateKey).toString('base64'),
          'X-Twilio-Email-Event-Webhook-Timestamp': String(ts),
        },
      });
      return standard(sign, body, false);
    },
    sdkAccepts: (r) => {
      const webhook = new EventWebhook();
      return webhook.verifySignature(
        webhook.convertPublicKeyToECDSA(sendgridPublic),
        r.rawBody,
        r.headers['X-Twilio-Email-Event-Webhook-Signature']!,
        r.headers['X-Twilio-Email-Event-Webhook-Timestamp']!,
      );
    },
  },
  {
    service: 'openai',
    secret: swSecret,
    vectors: () => {
      const body = requireService('openai').webhook!.sampleBody;
      return [...standard(standardWebhooksSign, body, true), { name: 'timestamp 10 minutes ahead', request: standardWebhooksSign(body, 'right', nowS() + 600), valid: false }];
    },
    sdkAccepts: (r) => accepts(() => new OpenAI({ apiKey: 'sk-placeholder' }).webhooks.unwrap(r.rawBody, r.headers, swSecret)),
  },
  {
    service: 'anthropic',
    secret: swSecret,
    vectors: () => {
      const body = requireService('anthropic').webhook!.sampleBody;
      return [...standard(standardWebhooksSign, body, true), { name: 'timestamp 10 minutes ahead', request: standardWebhooksSign(body, 'right', nowS() + 600), valid: false }];
    },
    sdkAccepts: (r) => accepts(() => new Anthropic({ apiKey: 'sk-ant-placeholder' }).beta.webhooks.unwrap(r.rawBody, { headers: r.headers, key: swSecret })),
  },
];

const generatedHandler = generatedHandlers(CASES.map((c) => c.service));

describe('generated webhook verifiers agree with the official SDKs', () => {
  for (const testCase of CASES) {
    it(`${testCase.service}: ${requireService(testCase.service).sdk.verifyFunction}`, async () => {
      const handler = await generatedHandler(testCase.service, testCase.secret);
      const vectors = await testCase.vectors();
      const seen = [];
      for (const vector of vectors) {
        seen.push({ name: vector.name, sdk: await testCase.sdkAccepts(vector.request), generated: await handler.verify(vector.request) });
      }
      expect(seen).toEqual(vectors.map((v) => ({ name: v.name, sdk: v.valid, generated: v.valid })));
      expect(vectors.map((v) => v.name)).toEqual(expect.arrayContaining(['valid', 'tampered body', 'wrong secret']));
      if (requireService(testCase.service).webhook!.toleranceSeconds !== null) expect(vectors.map((v) => v.name)).toContain('stale timestamp');
    });
  }
});
