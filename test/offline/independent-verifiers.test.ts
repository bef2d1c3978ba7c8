import { createHash, createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import jwt from 'jsonwebtoken';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { requireService } from '../../src/kinds/integration/catalog/catalog.js';
import { implementationFiles } from '../../src/kinds/integration/templates/sources.js';
import { generatedHandlers, nowS, tamper, type Request, type Vector } from './verifier-harness.js';

/**
 * Services outside SERVICES.md whose official SDK is not installed here (or has no verifier):
 * the generated verifier against an independent signer and reference check on the same vectors.
 * Netlify: tokens signed with `jose`, checked with `jsonwebtoken` plus the body's SHA-256.
 * Replicate: the Standard Webhooks library. Vercel and Coinbase Commerce: HMACs written here from
 * the sources named in the catalog (coinbase-commerce-node lib/Webhook.js for Coinbase).
 */
interface Case {
  service: string;
  secret: string;
  vectors: () => Promise<Vector[]>;
  reference: (request: Request) => boolean;
}

const URL_ = 'https://example.test/webhooks/hook';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const body = (service: string) => requireService(service).webhook!.sampleBody;

const netlifySecret = 'netlify-jws-secret-token';
async function netlifyToken(claims: Record<string, unknown>, secret = netlifySecret, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const netlifyRequest = (rawBody: string, token: string): Request => ({ url: URL_, rawBody, headers: { 'X-Webhook-Signature': token } });

const swSecret = 'whsec_' + Buffer.from('replicate-signing-secret-32-byte').toString('base64');
const swWrong = 'whsec_' + Buffer.from('another-replicate-secret-32-byte').toString('base64');
function standardWebhooks(rawBody: string, secret: string, ts: number): Request {
  const signature = new Webhook(secret).sign('msg_1', new Date(ts * 1000), rawBody);
  return { url: URL_, rawBody, headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature } };
}

const hmacHex = (hash: 'sha1' | 'sha256', secret: string, text: string) => createHmac(hash, secret).update(text, 'utf8').digest('hex');

const CASES: Case[] = [
  {
    service: 'netlify',
    secret: netlifySecret,
    vectors: async () => {
      const b = body('netlify');
      const valid = await netlifyToken({ iss: 'netlify', sha256: sha256(b) });
      return [
        { name: 'valid', request: netlifyRequest(b, valid), valid: true },
        { name: 'tampered body', request: netlifyRequest(tamper(b), valid), valid: false },
        { name: 'wrong secret', request: netlifyRequest(b, await netlifyToken({ iss: 'netlify', sha256: sha256(b) }, 'another-jws-secret')), valid: false },
        { name: 'another issuer', request: netlifyRequest(b, await netlifyToken({ iss: 'someone-else', sha256: sha256(b) })), valid: false },
        { name: 'expired', request: netlifyRequest(b, await netlifyToken({ iss: 'netlify', sha256: sha256(b), exp: nowS() - 60 })), valid: false },
        { name: 'not yet expired', request: netlifyRequest(b, await netlifyToken({ iss: 'netlify', sha256: sha256(b), exp: nowS() + 600 })), valid: true },
        { name: 'HS512 token', request: netlifyRequest(b, await netlifyToken({ iss: 'netlify', sha256: sha256(b) }, netlifySecret, 'HS512')), valid: false },
        { name: 'unsigned token (alg none)', request: netlifyRequest(b, `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: 'netlify', sha256: sha256(b) })}.`), valid: false },
        { name: 'not a token', request: netlifyRequest(b, 'sha256=' + sha256(b)), valid: false },
      ];
    },
    reference: (r) => {
      try {
        const claims = jwt.verify(r.headers['X-Webhook-Signature']!, netlifySecret, { algorithms: ['HS256'], issuer: 'netlify' }) as { sha256?: unknown };
        return claims.sha256 === sha256(r.rawBody);
      } catch {
        return false;
      }
    },
  },
  {
    service: 'replicate',
    secret: swSecret,
    vectors: async () => {
      const b = body('replicate');
      const valid = standardWebhooks(b, swSecret, nowS());
      return [
        { name: 'valid', request: valid, valid: true },
        { name: 'tampered body', request: { ...valid, rawBody: tamper(b) }, valid: false },
        { name: 'wrong secret', request: standardWebhooks(b, swWrong, nowS()), valid: false },
        { name: 'stale timestamp', request: standardWebhooks(b, swSecret, nowS() - 600), valid: false },
        { name: 'timestamp 10 minutes ahead', request: standardWebhooks(b, swSecret, nowS() + 600), valid: false },
      ];
    },
    reference: (r) => {
      try {
        new Webhook(swSecret).verify(r.rawBody, r.headers);
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    service: 'vercel',
    secret: 'vercel-webhook-secret',
    vectors: async () => {
      const b = body('vercel');
      const sign = (text: string, secret: string): Request => ({ url: URL_, rawBody: text, headers: { 'x-vercel-signature': hmacHex('sha1', secret, text) } });
      const valid = sign(b, 'vercel-webhook-secret');
      return [
        { name: 'valid', request: valid, valid: true },
        { name: 'tampered body', request: { ...valid, rawBody: tamper(b) }, valid: false },
        { name: 'wrong secret', request: sign(b, 'another-secret'), valid: false },
        { name: 'SHA-256 instead of SHA-1', request: { ...valid, headers: { 'x-vercel-signature': hmacHex('sha256', 'vercel-webhook-secret', b) } }, valid: false },
      ];
    },
    reference: (r) => r.headers['x-vercel-signature'] === hmacHex('sha1', 'vercel-webhook-secret', r.rawBody),
  },
  {
    service: 'coinbase-commerce',
    secret: 'coinbase-shared-secret',
    vectors: async () => {
      const b = body('coinbase-commerce');
      const sign = (text: string, secret: string): Request => ({ url: URL_, rawBody: text, headers: { 'X-CC-Webhook-Signature': hmacHex('sha256', secret, text) } });
      const valid = sign(b, 'coinbase-shared-secret');
      return [
        { name: 'valid', request: valid, valid: true },
        { name: 'tampered body', request: { ...valid, rawBody: tamper(b) }, valid: false },
        { name: 'wrong secret', request: sign(b, 'another-secret'), valid: false },
        { name: 'upper-case hex', request: { ...valid, headers: { 'X-CC-Webhook-Signature': valid.headers['X-CC-Webhook-Signature']!.toUpperCase() } }, valid: false },
      ];
    },
    // coinbase-commerce-node Webhook.verifySigHeader: hex HMAC-SHA256 of the payload, compared as strings.
    reference: (r) => r.headers['X-CC-Webhook-Signature'] === hmacHex('sha256', 'coinbase-shared-secret', r.rawBody),
  },
];

const generatedHandler = generatedHandlers(CASES.map((c) => c.service));

describe('generated webhook verifiers agree with independent signers and reference checks', () => {
  for (const testCase of CASES) {
    it(`${testCase.service}: ${requireService(testCase.service).webhook!.algorithm}`, async () => {
      const handler = await generatedHandler(testCase.service, testCase.secret);
      const vectors = await testCase.vectors();
      const seen = [];
      for (const vector of vectors) seen.push({ name: vector.name, reference: testCase.reference(vector.request), generated: await handler.verify(vector.request) });
      expect(seen).toEqual(vectors.map((v) => ({ name: v.name, reference: v.valid, generated: v.valid })));
    });
  }

  it('every generated artifact of these services says what is UNVERIFIED', () => {
    for (const { service } of CASES) {
      const entry = requireService(service);
      expect(entry.unverified.length, service).toBeGreaterThan(0);
    }
    const vercel = implementationFiles(requireService('vercel')).find(([file]) => file.includes('WebhookHandler'))![1];
    expect(vercel).toMatch(/HMAC-SHA1.*UNVERIFIED: confirm against the service docs/);
  });
});
