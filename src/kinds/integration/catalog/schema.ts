import { z } from 'zod';

/** How sure the catalog is of a fact: checked in SDK source or official docs, or not. */
export const Confidence = z.enum(['verified', 'doc-excerpt', 'unverified']);
export type Confidence = z.infer<typeof Confidence>;

export const EnvVar = z.object({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  description: z.string(),
  secret: z.boolean(),
  required: z.boolean().default(true),
  /** Which generated module reads it: the API client, the webhook handler, OAuth2, or a connection. */
  use: z.enum(['client', 'webhook', 'oauth', 'connection']).default('client'),
  confidence: Confidence.default('verified'),
});
export type EnvVar = z.infer<typeof EnvVar>;

/**
 * Signature schemes the webhook template knows how to verify. Each is one family of the
 * schemes in SERVICES.md. A custom API gets `hmac-body` as a placeholder marked for the user to confirm.
 */
export const SignatureScheme = z.enum([
  'twilio', // HMAC-SHA1 over URL + sorted form params, base64
  'stripe', // t=,v1= header; HMAC-SHA256 over "{t}.{body}", hex
  'slack', // v0=hex; HMAC-SHA256 over "v0:{ts}:{body}"
  'hmac-body', // HMAC-SHA256 over the raw body (GitHub hex with sha256= prefix, Shopify base64)
  'hmac-url-body', // HMAC-SHA256 over notification URL + raw body, base64 (Square)
  'standard-webhooks', // webhook-id/-timestamp/-signature, whsec_ base64 key
  'ed25519', // Discord: Ed25519 over timestamp + body, hex key and signature
  'ecdsa-p256', // SendGrid: ECDSA P-256 SHA-256 over timestamp + body, base64 DER
  'mailgun', // signature object inside the JSON body, HMAC-SHA256 over timestamp + token, hex
  'paypal-api', // asymmetric; verified by PayPal's verify-webhook-signature endpoint
  'jws-hs256', // Netlify: a JWT (HS256, shared secret) whose claims carry iss and the body's SHA-256
]);
export type SignatureScheme = z.infer<typeof SignatureScheme>;

export const WebhookScheme = z.object({
  scheme: SignatureScheme,
  /** Header(s) carrying the signature, or `body` for schemes that sign inside the payload. */
  signatureHeader: z.string(),
  timestampHeader: z.string().optional(),
  /** Text before the signature in the header, such as `sha256=`. */
  signaturePrefix: z.string().optional(),
  /** Headers the official SDK insists on besides the signature (Shopify). */
  requiredHeaders: z.array(z.string()).default([]),
  algorithm: z.string(),
  signedContent: z.string(),
  encoding: z.enum(['hex', 'base64']),
  /** hmac-body: the HMAC's hash (Vercel signs with SHA-1). @default sha256 */
  hmacHash: z.enum(['sha256', 'sha1']).default('sha256'),
  /** jws-hs256: the `iss` claim the token must carry. */
  issuer: z.string().optional(),
  /** Seconds a timestamp may be old; null when the scheme has no timestamp check. */
  toleranceSeconds: z.number().int().positive().nullable(),
  /**
   * Standard Webhooks: how a secret without the `whsec_` prefix is read. The OpenAI SDK takes it as
   * UTF-8 bytes; the standardwebhooks library (the Anthropic SDK's) always base64-decodes it.
   */
  unprefixedSecret: z.enum(['utf8', 'base64']).default('utf8'),
  /** Whether timestamps too far in the future are also rejected (Standard Webhooks). */
  rejectFuture: z.boolean().default(false),
  /** The environment variable holding the key the signature is checked with. */
  secretEnvVar: z.string(),
  confidence: Confidence,
  /** Where the event type and the delivery id come from: a header, or a dotted path in the JSON body. */
  eventType: z.object({ header: z.string().optional(), field: z.string().optional() }),
  /**
   * The delivery id the idempotency store keys on. `withType` prefixes it with the event type, for
   * services that send several events about one object under the same id (a Netlify deploy).
   */
  deliveryId: z.object({ header: z.string().optional(), field: z.string().optional(), withType: z.boolean().optional() }),
  events: z.array(z.string()),
  /** A body the generated tests send: one realistic delivery of `events[0]`. */
  sampleBody: z.string(),
});
export type WebhookScheme = z.infer<typeof WebhookScheme>;

export const Endpoint = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string(),
  description: z.string(),
});

/**
 * The type of a request or response field, `!` when it is required: `string!`, `integer`,
 * `string[]`, `object`. The generated client turns each into a zod schema.
 */
export const FieldType = z.string().regex(/^(string|number|integer|boolean|string\[\]|object|object\[\])!?$/);

/**
 * One main operation of an HTTP API: a typed method of the generated client. In `path`,
 * `{name}` is filled from the request field of that name, `{ENV_VAR}` from that credential.
 */
export const Operation = z.object({
  /** The client method: `sendMessage`. */
  name: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().startsWith('/'),
  description: z.string(),
  /** Fields sent besides the path's: the query of a GET or DELETE, else the body. */
  request: z.record(z.string(), FieldType).default({}),
  /** The response fields an integration relies on; the others pass through. */
  response: z.record(z.string(), FieldType),
  /** The response is a JSON array of such objects (GitHub's and Netlify's lists). */
  array: z.boolean().default(false),
  /** GraphQL: the document sent as `query`, with the request fields as its `variables`. */
  graphql: z.string().optional(),
  /** Real arguments for usage examples and the generated tests. */
  example: z.record(z.string(), z.unknown()).default({}),
  /** A response body for the generated tests, consistent with `response` (one item when `array`). */
  exampleResponse: z.record(z.string(), z.unknown()),
  /** Whether repeating the request repeats a side effect (a charge, a message). @default method is POST */
  sideEffect: z.boolean().optional(),
  confidence: Confidence.default('unverified'),
});
export type Operation = z.infer<typeof Operation>;

/** How a service reports a failed request in the body. */
export const ErrorShape = z.object({
  /** Dotted paths in the JSON error body. */
  code: z.string().optional(),
  message: z.string().optional(),
  /** Slack: HTTP 200 with `{ ok: false, error }` is a failure. */
  okFalse: z.boolean().default(false),
  /** GraphQL: HTTP 200 with a non-empty `errors` array is a failure. */
  graphql: z.boolean().default(false),
  confidence: Confidence.default('unverified'),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** The operations of an HTTP API and how to call them safely. */
export const HttpOperations = z.object({
  operations: z.array(Operation).min(1).max(8),
  /** The operation `healthCheck()` calls: cheap and authenticated. */
  healthCheck: z.string(),
  /**
   * How a request with a side effect is made safe to retry: a header (Stripe's Idempotency-Key,
   * PayPal-Request-Id) or a body field (Square's idempotency_key), the same on every attempt.
   * Without one, such a request is retried only on 429 or a 503 with Retry-After.
   */
  idempotency: z.object({ header: z.string() }).or(z.object({ bodyField: z.string() })).optional(),
  errors: ErrorShape,
});
export type HttpOperations = z.infer<typeof HttpOperations>;
export type HttpOperationsInput = z.input<typeof HttpOperations>;

/** OAuth2 authorization-code flow for user-authorised access (PayPal, Square, Shopify). */
export const OAuth2Flow = z.object({
  authorizeUrl: z.string(),
  tokenUrl: z.string(),
  scopes: z.array(z.string()),
  /** Whether the service documents PKCE; the generated code always sends it. */
  pkce: z.enum(['documented', 'not documented']),
  clientIdEnvVar: z.string(),
  clientSecretEnvVar: z.string(),
  confidence: Confidence,
});
export type OAuth2Flow = z.infer<typeof OAuth2Flow>;

export const ClientAuth = z.object({
  scheme: z.enum(['basic', 'bearer', 'header', 'oauth2-client-credentials', 'connection-string', 'aws-sigv4', 'google-adc']),
  description: z.string(),
  confidence: Confidence,
  /** basic: the user name's env var, or a fixed user name (Mailgun's `api`). */
  username: z.object({ envVar: z.string() }).or(z.object({ literal: z.string() })).optional(),
  /** The env var of the secret the client sends (token, API key, password, client secret). */
  secretEnvVar: z.string().optional(),
  /** header: the header name carrying the secret, and text before the secret (`Bot `). */
  headerName: z.string().optional(),
  headerPrefix: z.string().optional(),
  /** Fixed headers every request carries (API version pins). */
  extraHeaders: z.record(z.string(), z.string()).default({}),
  /** oauth2-client-credentials: the token path on the API base and the client id's env var. */
  tokenPath: z.string().optional(),
  clientIdEnvVar: z.string().optional(),
  /** How request bodies are encoded. @default json */
  bodyEncoding: z.enum(['json', 'form']).default('json'),
});

/** The standard driver a database or storage connection module is written for. */
export const Driver = z.enum(['pg', 'ioredis', 'mongodb', 'aws-s3', 'mysql2', 'aws-dynamodb', 'aws-lambda', 'gcs', 'azure-blob']);
export type Driver = z.infer<typeof Driver>;

/** One service the offline model knows. Facts not confirmed stay marked in what is generated. */
export const ServiceEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string(),
  /** PascalCase stem for generated class names: `Twilio` -> `TwilioClient`. */
  className: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  category: z.enum(['payments', 'communication', 'ai', 'databases', 'cloud', 'developer', 'commerce', 'custom']),
  /** An HTTP API gets a client; a database, storage or compute service gets a connection module for its driver. */
  kind: z.enum(['http-api', 'database', 'storage', 'compute']),
  aliases: z.array(z.string()).default([]),
  api: z.object({ baseUrl: z.string(), confidence: Confidence }),
  auth: ClientAuth,
  envVars: z.array(EnvVar).min(1),
  webhook: WebhookScheme.optional(),
  oauth2: OAuth2Flow.optional(),
  driver: Driver.optional(),
  rateLimit: z.object({
    signals: z.array(z.string()),
    retryAfterHeader: z.boolean(),
    /** Header giving the reset time when the limit is exhausted, and its unit. */
    resetHeader: z.object({ name: z.string(), unit: z.enum(['epoch-seconds', 'seconds', 'rfc3339']) }).optional(),
    /** Header that reads `0` when the limit is spent: a 403 with it is a rate limit, not an auth error (GitHub). */
    remainingHeader: z.string().optional(),
    /** Statuses that mean "rate limited" when `remainingHeader` is 0 or Retry-After is set. @default [429] */
    limitedStatuses: z.array(z.number().int()).default([429]),
    /** A JSON body field holding the seconds to wait (Discord's `retry_after`). */
    retryAfterField: z.string().optional(),
    /** Header naming the bucket a route shares its limit with (Discord); exhausted buckets wait before sending. */
    bucketHeader: z.string().optional(),
    /** Requests per second the client-side token bucket allows: the documented rate, or a cautious one marked unverified. */
    requestsPerSecond: z.number().positive().optional(),
    confidence: Confidence,
  }),
  sdk: z.object({ package: z.string(), verifyFunction: z.string().optional() }),
  endpoints: z.array(Endpoint),
  /** HTTP APIs: the main operations the generated client has a typed method for. */
  http: HttpOperations.optional(),
  capabilities: z.array(z.string()).min(1),
  sources: z.array(z.string()).min(1),
  /** Statements that are conventions or second-hand; generated artifacts repeat them as UNVERIFIED. */
  unverified: z.array(z.string()).default([]),
}).superRefine((entry, ctx) => {
  for (const message of operationProblems(entry)) ctx.addIssue({ code: 'custom', message: `${entry.id}: ${message}`, path: ['http'] });
});
export type ServiceEntry = z.infer<typeof ServiceEntry>;

/** An HTTP API without operations, a health check naming none, or a path placeholder nothing fills. */
function operationProblems(entry: { id: string; kind: string; envVars: EnvVar[]; http?: HttpOperations | undefined }): string[] {
  if (entry.kind !== 'http-api') return entry.http ? ['only an HTTP API has operations'] : [];
  if (!entry.http) return ['an HTTP API needs its operations'];
  const problems: string[] = [];
  const names = entry.http.operations.map((op) => op.name);
  if (!names.includes(entry.http.healthCheck)) problems.push(`healthCheck names no operation: ${entry.http.healthCheck}`);
  if (new Set(names).size !== names.length) problems.push('operation names repeat');
  const credentials = new Set(entry.envVars.filter((v) => v.use === 'client' && v.required).map((v) => v.name));
  for (const op of entry.http.operations) {
    for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) {
      const filled = /^[A-Z][A-Z0-9_]*$/.test(name!) ? credentials.has(name!) : op.request[name!]?.endsWith('!');
      if (!filled) problems.push(`${op.name}: {${name}} is neither a required request field nor a client credential`);
    }
  }
  return problems;
}
/** What a catalog file declares, before defaults are applied. */
export type ServiceInput = z.input<typeof ServiceEntry>;
