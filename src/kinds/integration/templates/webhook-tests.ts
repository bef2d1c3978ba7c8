import type { ServiceEntry, WebhookScheme } from '../catalog/schema.js';

/**
 * Per scheme: test-side code that signs a delivery the way the service does, written apart
 * from the handler's code. `signed(body, { secret, timestamp })` returns a WebhookRequest.
 */
function signerSource(scheme: WebhookScheme): { imports: string; setup: string; sign: string; tamper: string } {
  const reqHeaders = [
    ...scheme.requiredHeaders.filter((h) => h !== scheme.eventType.header).map((h) => `${JSON.stringify(h)}: ${JSON.stringify(h.toLowerCase() === 'webhook-id' ? 'msg_1' : `test-${h.toLowerCase()}`)}`),
    ...(scheme.eventType.header ? [`${JSON.stringify(scheme.eventType.header)}: EVENT`] : []),
    ...(scheme.deliveryId.header && !scheme.requiredHeaders.includes(scheme.deliveryId.header) ? [`${JSON.stringify(scheme.deliveryId.header)}: 'delivery-1'`] : []),
  ].join(', ');
  const extra = reqHeaders ? `, ${reqHeaders}` : '';
  const tamperBody = `const tamper = (body: string) => body.replace(/[a-z0-9]/, (c) => (c === 'a' ? 'b' : 'a'));`;
  const sig = JSON.stringify(scheme.signatureHeader);
  const ts = JSON.stringify(scheme.timestampHeader ?? '');
  switch (scheme.scheme) {
    case 'twilio':
      return {
        imports: `import { createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'test-webhook-secret';\nconst WRONG = 'wrong-secret';`,
        sign: `function signed(body: string, { secret = SECRET }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  const params = new URLSearchParams(body);
  const data = URL_ + [...params.keys()].sort().map((k) => k + params.get(k)).join('');
  return { url: URL_, rawBody: body, headers: { ${sig}: createHmac('sha1', secret).update(data).digest('base64'), 'content-type': 'application/x-www-form-urlencoded' } };
}`,
        tamper: tamperBody,
      };
    case 'stripe':
      return {
        imports: `import { createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'whsec_test_secret';\nconst WRONG = 'whsec_wrong_secret';`,
        sign: `function signed(body: string, { secret = SECRET, timestamp = NOW_S }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  const v1 = createHmac('sha256', secret).update(\`\${timestamp}.\${body}\`).digest('hex');
  return { url: URL_, rawBody: body, headers: { ${sig}: \`t=\${timestamp},v1=\${v1}\` } };
}`,
        tamper: tamperBody,
      };
    case 'slack':
      return {
        imports: `import { createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'test-signing-secret';\nconst WRONG = 'wrong-signing-secret';`,
        sign: `function signed(body: string, { secret = SECRET, timestamp = NOW_S }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  const v0 = createHmac('sha256', secret).update(\`v0:\${timestamp}:\${body}\`).digest('hex');
  return { url: URL_, rawBody: body, headers: { ${sig}: \`v0=\${v0}\`, ${ts}: String(timestamp) } };
}`,
        tamper: tamperBody,
      };
    case 'hmac-body':
    case 'hmac-url-body': {
      const content = scheme.scheme === 'hmac-url-body' ? 'URL_ + body' : 'body';
      return {
        imports: `import { createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'test-webhook-secret';\nconst WRONG = 'wrong-webhook-secret';\nconst EVENT = ${JSON.stringify(scheme.events[0])};`,
        sign: `function signed(body: string, { secret = SECRET }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  const signature = ${JSON.stringify(scheme.signaturePrefix ?? '')} + createHmac('${scheme.hmacHash}', secret).update(${content}).digest('${scheme.encoding}');
  return { url: URL_, rawBody: body, headers: { ${sig}: signature${extra} } };
}`,
        tamper: tamperBody,
      };
    }
    case 'standard-webhooks':
      return {
        imports: `import { createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'whsec_' + Buffer.from('test-standard-webhooks-key-32byt').toString('base64');\nconst WRONG = 'whsec_' + Buffer.from('wrong-standard-webhooks-key-32by').toString('base64');`,
        sign: `function signed(body: string, { secret = SECRET, timestamp = NOW_S }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(\`msg_1.\${timestamp}.\${body}\`).digest('base64');
  return { url: URL_, rawBody: body, headers: { 'webhook-id': 'msg_1', ${ts}: String(timestamp), ${sig}: \`v1,\${signature}\` } };
}`,
        tamper: tamperBody,
      };
    case 'ed25519':
      return {
        imports: `import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';`,
        setup: `const pair = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
/** The service's public key as it publishes it: the raw 32 bytes in hex. */
const SECRET = pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
const WRONG = other.privateKey;`,
        sign: `function signed(body: string, { secret, timestamp = NOW_S }: { secret?: KeyObject; timestamp?: number } = {}): WebhookRequest {
  const signature = cryptoSign(null, Buffer.from(String(timestamp) + body), secret ?? pair.privateKey).toString('hex');
  return { url: URL_, rawBody: body, headers: { ${sig}: signature, ${ts}: String(timestamp) } };
}`,
        tamper: tamperBody,
      };
    case 'ecdsa-p256':
      return {
        imports: `import { generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';`,
        setup: `const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
/** The verification key as the service shows it: base64 DER (SubjectPublicKeyInfo). */
const SECRET = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const WRONG = other.privateKey;`,
        sign: `function signed(body: string, { secret, timestamp = NOW_S }: { secret?: KeyObject; timestamp?: number } = {}): WebhookRequest {
  const signature = cryptoSign('sha256', Buffer.from(String(timestamp) + body), secret ?? pair.privateKey).toString('base64');
  return { url: URL_, rawBody: body, headers: { ${sig}: signature, ${ts}: String(timestamp) } };
}`,
        tamper: tamperBody,
      };
    case 'mailgun':
      return {
        imports: `import { createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'test-webhook-signing-key';\nconst WRONG = 'wrong-webhook-signing-key';`,
        sign: `function signed(eventData: string, { secret = SECRET, timestamp = NOW_S }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  const token = 'tok-' + eventData.length;
  const signature = createHmac('sha256', secret).update(String(timestamp) + token).digest('hex');
  const rawBody = JSON.stringify({ signature: { timestamp: String(timestamp), token, signature }, 'event-data': JSON.parse(eventData) });
  return { url: URL_, rawBody, headers: { 'content-type': 'application/json' } };
}`,
        // Mailgun signs timestamp + token only: tampering means changing the token.
        tamper: `const tamper = (body: string) => body.replace(/"token":"tok-/, '"token":"tok-x');`,
      };
    case 'jws-hs256':
      return {
        imports: `import { createHash, createHmac } from 'node:crypto';`,
        setup: `const SECRET = 'test-jws-secret-token';
const WRONG = 'wrong-jws-secret-token';
/** A compact JWS over \`claims\`, made with node:crypto alone (not the handler's code). */
function jws(claims: Record<string, unknown>, secret = SECRET, alg = 'HS256'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = part({ alg, typ: 'JWT' }) + '.' + part(claims);
  return unsigned + '.' + (alg === 'none' ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url'));
}
const bodyHash = (body: string) => createHash('sha256').update(body).digest('hex');`,
        sign: `function signed(body: string, { secret = SECRET }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  return { url: URL_, rawBody: body, headers: { ${sig}: jws({ iss: ${JSON.stringify(scheme.issuer ?? '')}, sha256: bodyHash(body) }, secret)${extra} } };
}`,
        tamper: tamperBody,
      };
    case 'paypal-api':
      return {
        imports: ``,
        setup: `const SECRET = 'WH-TEST-ID';
const WRONG = 'WH-OTHER-ID';
/** A scripted PayPal verify endpoint: SUCCESS only for the body and webhook id it "signed". */
function paypalApi(signedBody: string) {
  const calls: unknown[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const sent = JSON.parse(String(init?.body)) as { webhook_id: string; webhook_event: unknown; transmission_sig: string };
    calls.push(sent);
    const ok = sent.webhook_id === SECRET && JSON.stringify(sent.webhook_event) === JSON.stringify(JSON.parse(signedBody)) && sent.transmission_sig === 'sig-for:' + sent.webhook_id;
    return new Response(JSON.stringify({ verification_status: ok ? 'SUCCESS' : 'FAILURE' }), { status: 200 });
  };
  return { calls, options: { fetch, accessToken: async () => 'test-token', now: () => NOW_MS } };
}`,
        sign: `function signed(body: string, { secret = SECRET }: { secret?: string; timestamp?: number } = {}): WebhookRequest {
  return { url: URL_, rawBody: body, headers: { ${sig}: 'sig-for:' + secret${extra} } };
}`,
        tamper: `const tamper = (body: string) => body.replace(/[a-z0-9]/, (c) => (c === 'a' ? 'b' : 'a'));`,
      };
  }
}

/** Vitest tests for the generated webhook handler. */
export function webhookTestSource(service: ServiceEntry): string {
  const scheme = service.webhook!;
  const cls = `${service.className}WebhookHandler`;
  const { imports, setup, sign, tamper } = signerSource(scheme);
  const paypal = scheme.scheme === 'paypal-api';
  const options = paypal ? 'paypalApi(BODY).options' : '{ now: () => NOW_MS }';
  const event = scheme.events[0]!;
  const missing =
    scheme.scheme === 'mailgun'
      ? `{ url: URL_, rawBody: JSON.stringify({ 'event-data': JSON.parse(BODY) }), headers: {} }`
      : `withoutHeader(signed(BODY), ${JSON.stringify(scheme.signatureHeader)})`;
  return `// Generated by orchestrate for ${service.name}.
${imports}
import { describe, expect, it } from 'vitest';
import { ${cls}, type WebhookRequest } from '../webhooks/${cls}.js';
import { InMemoryIdempotencyStore } from '../persistence/IdempotencyStore.js';

const URL_ = 'https://example.test/webhooks/${service.id}?tenant=1';
const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;
const BODY = ${JSON.stringify(scheme.sampleBody)};
${setup}

/** Signs the way ${service.name} does (independent of the handler's code). */
${sign}

${tamper}

function withoutHeader(request: WebhookRequest, name: string): WebhookRequest {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
  return { ...request, headers };
}

function handler(handlers: ConstructorParameters<typeof ${cls}>[2] = {}) {
  return new ${cls}(SECRET, new InMemoryIdempotencyStore(), handlers, ${options});
}

describe('${cls}', () => {
  it('accepts a valid signature and dispatches by event type', async () => {
    const seen: string[] = [];
    const response = await handler({ ${JSON.stringify(event)}: (e) => void seen.push(e.type) }).handle(signed(BODY));
    expect(response).toMatchObject({ status: 200, body: 'processed' });
    expect(seen).toEqual([${JSON.stringify(event)}]);
  });

  it('rejects a tampered body', async () => {
    const request = signed(BODY);
    await expect(handler().handle({ ...request, rawBody: tamper(request.rawBody) })).resolves.toMatchObject({ status: 401 });
  });

  it('rejects a signature made with the wrong ${scheme.scheme === 'ed25519' || scheme.scheme === 'ecdsa-p256' ? 'key' : paypal ? 'webhook id' : 'secret'}', async () => {
    await expect(handler().handle(signed(BODY, { secret: WRONG }))).resolves.toMatchObject({ status: 401 });
  });

  it('rejects a request without the signature', async () => {
    await expect(handler().handle(${missing})).resolves.toMatchObject({ status: 401 });
  });
${scheme.toleranceSeconds !== null ? `
  it('rejects a stale timestamp (older than ${scheme.toleranceSeconds} s) and accepts one inside the window', async () => {
    await expect(handler().handle(signed(BODY, { timestamp: NOW_S - ${scheme.toleranceSeconds + 1} }))).resolves.toMatchObject({ status: 401 });
    await expect(handler().handle(signed(BODY, { timestamp: NOW_S - ${scheme.toleranceSeconds - 10} }))).resolves.toMatchObject({ status: 200 });
  });
` : `
  it('has no timestamp window in this scheme: replays are stopped by the idempotency store', async () => {
    const store = new InMemoryIdempotencyStore();
    const h = new ${cls}(SECRET, store, {}, ${options});
    await h.handle(signed(BODY));
    await expect(h.handle(signed(BODY))).resolves.toMatchObject({ status: 200, body: 'duplicate delivery ignored' });
  });
`}${paypal ? `
  it('asks PayPal to verify with the webhook id and the event as received', async () => {
    const api = paypalApi(BODY);
    await new ${cls}(SECRET, new InMemoryIdempotencyStore(), {}, api.options).handle(signed(BODY));
    expect(api.calls).toEqual([expect.objectContaining({ webhook_id: SECRET, webhook_event: JSON.parse(BODY) })]);
  });
` : ''}${scheme.scheme === 'jws-hs256' ? jwsTests(scheme) : ''}
  it('processes a duplicate delivery only once', async () => {
    let count = 0;
    const h = handler({ ${JSON.stringify(event)}: () => void count++ });
    await h.handle(signed(BODY));
    await expect(h.handle(signed(BODY))).resolves.toMatchObject({ status: 200, body: 'duplicate delivery ignored' });
    expect(count).toBe(1);
  });

  it('refuses to start without the secret', () => {
    expect(() => new ${cls}('', new InMemoryIdempotencyStore())).toThrow(/${scheme.secretEnvVar}/);
  });
});
`;
}

/** The token checks beyond the signature: the algorithm, the issuer and an expiry when there is one. */
function jwsTests(scheme: WebhookScheme): string {
  const sig = JSON.stringify(scheme.signatureHeader);
  const iss = JSON.stringify(scheme.issuer ?? '');
  return `
  it('refuses an unsigned token (alg none), another issuer and an expired token', async () => {
    const send = (token: string) => handler().handle({ url: URL_, rawBody: BODY, headers: { ${sig}: token } });
    await expect(send(jws({ iss: ${iss}, sha256: bodyHash(BODY) }, SECRET, 'none'))).resolves.toMatchObject({ status: 401 });
    await expect(send(jws({ iss: 'someone-else', sha256: bodyHash(BODY) }))).resolves.toMatchObject({ status: 401 });
    await expect(send(jws({ iss: ${iss}, sha256: bodyHash(BODY), exp: NOW_S - 1 }))).resolves.toMatchObject({ status: 401 });
    await expect(send(jws({ iss: ${iss}, sha256: bodyHash(BODY), exp: NOW_S + 60 }))).resolves.toMatchObject({ status: 200 });
  });
`;
}
