import { UserError } from '../../../errors.js';
import type { ServiceInput } from './schema.js';

const FILL_IN = 'FILL IN';

/**
 * A catalog entry for `custom-api <url>`: any REST API. Only the base URL is known; every
 * other fact is a placeholder marked UNVERIFIED for the user to fill in, and the generated
 * code says so where it relies on one.
 */
export function customApiEntry(rawUrl: unknown): ServiceInput {
  if (typeof rawUrl !== 'string' || rawUrl.trim() === '') {
    throw new UserError('MISSING_URL', 'custom-api needs the API base URL: orchestrate integrate custom-api https://api.example.com');
  }
  let url: URL;
  try {
    url = new URL(rawUrl.trim());
  } catch {
    throw new UserError('BAD_URL', `"${rawUrl}" is not a URL; give the API base URL, such as https://api.example.com/v1`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError('BAD_URL', `custom-api needs an http or https URL, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new UserError('BAD_URL', 'the custom-api URL must not carry credentials; they go in environment variables');
  }
  const stem = classStem(url.hostname);
  const prefix = stem.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const base = url.href.replace(/\/$/, '');
  return {
    id: 'custom-api',
    name: `${stem} API (${url.host})`,
    className: stem,
    category: 'custom',
    kind: 'http-api',
    api: { baseUrl: base, confidence: 'verified' },
    auth: {
      scheme: 'bearer',
      description: `${FILL_IN}: assumed Authorization: Bearer <token>; change the client if the API uses another scheme`,
      confidence: 'unverified',
      secretEnvVar: `${prefix}_API_TOKEN`,
    },
    envVars: [
      { name: `${prefix}_API_TOKEN`, description: `API token (${FILL_IN}: the API's real credential)`, secret: true, confidence: 'unverified' },
      { name: `${prefix}_WEBHOOK_SECRET`, description: `Webhook signing secret (${FILL_IN}, if the API sends webhooks)`, secret: true, use: 'webhook', confidence: 'unverified' },
    ],
    webhook: {
      scheme: 'hmac-body',
      signatureHeader: 'X-Signature-256',
      signaturePrefix: 'sha256=',
      algorithm: `${FILL_IN}: placeholder HMAC-SHA256 with the webhook secret`,
      signedContent: `${FILL_IN}: placeholder rawBody`,
      encoding: 'hex',
      toleranceSeconds: null,
      secretEnvVar: `${prefix}_WEBHOOK_SECRET`,
      confidence: 'unverified',
      eventType: { field: 'type' },
      deliveryId: { field: 'id' },
      events: ['example.event'],
      sampleBody: '{"id":"evt_1","type":"example.event","data":{}}',
    },
    rateLimit: { signals: [`${FILL_IN}: assumed HTTP 429 with Retry-After`], retryAfterHeader: true, confidence: 'unverified' },
    sdk: { package: `${FILL_IN}: none known` },
    endpoints: [{ method: 'GET', path: '/', description: `${FILL_IN}: the endpoints the integration will call` }],
    http: {
      healthCheck: 'getRoot',
      errors: { code: 'code', message: 'message' },
      operations: [
        { name: 'getRoot', method: 'GET', path: '/', description: `The API root (the health check; ${FILL_IN}: a cheap authenticated call)`, response: {}, exampleResponse: {} },
        {
          name: 'listItems',
          method: 'GET',
          path: '/items',
          description: `${FILL_IN}: a list endpoint`,
          request: { limit: 'integer' },
          response: { items: 'object[]' },
          example: { limit: 20 },
          exampleResponse: { items: [] },
        },
        { name: 'getItem', method: 'GET', path: '/items/{id}', description: `${FILL_IN}: a read endpoint`, request: { id: 'string!' }, response: { id: 'string!' }, example: { id: 'item_1' }, exampleResponse: { id: 'item_1' } },
        {
          name: 'createItem',
          method: 'POST',
          path: '/items',
          description: `${FILL_IN}: a create endpoint (not retried after a timeout or 5xx: no idempotency key is known)`,
          request: { name: 'string!' },
          response: { id: 'string!' },
          example: { name: 'First item' },
          exampleResponse: { id: 'item_1' },
        },
      ],
    },
    capabilities: [`Call ${base} with timeout, retry, backoff and a circuit breaker`, `${FILL_IN}: what the integration is for`],
    sources: [base],
    unverified: [
      'Authentication scheme and credential name',
      'Webhook signature scheme (header, algorithm, signed content, encoding, tolerance): the generated handler uses a placeholder HMAC-SHA256 scheme',
      'Event type and delivery id fields of webhook payloads',
      'Rate-limit signalling',
      'Endpoints',
    ],
  };
}

/** `api.acme-corp.io` -> `AcmeCorp`. */
function classStem(hostname: string): string {
  const labels = hostname.split('.').filter((label) => !['api', 'www', 'rest', 'v1', 'v2'].includes(label));
  const label = labels[0] ?? 'custom';
  const stem = label
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1).toLowerCase())
    .join('');
  return /^[A-Z]/.test(stem) ? stem : `Api${stem || 'Custom'}`;
}
