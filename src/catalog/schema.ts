import { z } from 'zod';

/** How sure the catalog is of a fact: checked in SDK source or official docs, or not. */
export const Confidence = z.enum(['verified', 'doc-excerpt', 'unverified']);

export const EnvVar = z.object({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  description: z.string(),
  secret: z.boolean(),
  required: z.boolean().default(true),
  confidence: Confidence.default('verified'),
});
export type EnvVar = z.infer<typeof EnvVar>;

export const WebhookScheme = z.object({
  /** Header(s) carrying the signature, or `body` for schemes that sign inside the payload. */
  signatureHeader: z.string(),
  timestampHeader: z.string().optional(),
  algorithm: z.string(),
  signedContent: z.string(),
  encoding: z.enum(['hex', 'base64']),
  /** Seconds a timestamp may be old; null when the scheme has no timestamp check. */
  toleranceSeconds: z.number().int().positive().nullable(),
  /** The environment variable holding the key the signature is checked with. */
  secretEnvVar: z.string(),
  confidence: Confidence,
  events: z.array(z.string()),
});
export type WebhookScheme = z.infer<typeof WebhookScheme>;

export const Endpoint = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string(),
  description: z.string(),
});

/** One service the offline model knows. Facts not confirmed stay marked in what is generated. */
export const ServiceEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string(),
  /** PascalCase stem for generated class names: `Twilio` -> `TwilioClient`. */
  className: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  category: z.enum(['payments', 'communication', 'ai', 'databases', 'cloud', 'developer', 'commerce', 'custom']),
  kind: z.enum(['http-api', 'database', 'storage']),
  aliases: z.array(z.string()).default([]),
  api: z.object({ baseUrl: z.string(), confidence: Confidence }),
  auth: z.object({ scheme: z.enum(['basic', 'bearer', 'header', 'oauth2', 'connection-string', 'aws-sigv4']), description: z.string(), confidence: Confidence }),
  envVars: z.array(EnvVar).min(1),
  webhook: WebhookScheme.optional(),
  rateLimit: z.object({ signals: z.array(z.string()), retryAfterHeader: z.boolean(), confidence: Confidence }),
  sdk: z.object({ package: z.string(), verifyFunction: z.string().optional() }),
  endpoints: z.array(Endpoint),
  capabilities: z.array(z.string()).min(1),
  sources: z.array(z.string()).min(1),
  /** Statements that are conventions or second-hand; generated artifacts repeat them as UNVERIFIED. */
  unverified: z.array(z.string()).default([]),
});
export type ServiceEntry = z.infer<typeof ServiceEntry>;
