import type { ServiceEntry } from '../catalog/schema.js';
import { camel, clientEnvVars, envPrefix, mark } from './client-naming.js';

/**
 * What the generated client declares before its class: the credentials and options it takes,
 * the logger and metrics hooks, its typed error, and `credentialsFromEnv`.
 */
export function clientDeclarations(service: ServiceEntry): string {
  const name = `${service.className}Client`;
  const err = `${service.className}ApiError`;
  const envVars = clientEnvVars(service);
  const rl = service.rateLimit;
  const http = service.http!;
  const prefix = envPrefix(service);
  return `export interface ${name}Credentials {
${envVars.map((v) => `  /** ${v.description} (from ${v.name})${mark(v.confidence)} */\n  ${camel(v.name)}: string;`).join('\n')}
}

/** A pino-compatible logger (pino's satisfies it). It is given operation, status and timing, never credentials or bodies. */
export interface ClientLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the client measures: requests by operation and status with their latency, retries, rate-limit waits, breaker state. */
export type ClientMetric =
  | { type: 'request'; operation: string; status: number | 'timeout' | 'network'; durationMs: number }
  | { type: 'retry'; operation: string; attempt: number; reason: string; waitMs: number }
  | { type: 'rate-limit-wait'; operation: string; waitMs: number; source: 'token-bucket' | 'bucket-exhausted' }
  | { type: 'circuit'; state: CircuitState };

export interface ClientMetrics {
  record(metric: ClientMetric): void;
}

export interface ${name}Options {
  /** @default process.env.${prefix}_API_BASE_URL, else ${service.api.baseUrl} */
  baseUrl?: string;
  /** Where ${prefix}_API_BASE_URL is read. @default process.env */
  env?: Record<string, string | undefined>;
  /** Milliseconds before a request is abandoned. @default 10000 */
  timeoutMs?: number;
  /** Attempts per request, the first included. @default 4 */
  maxAttempts?: number;
  /** First backoff delay in milliseconds; doubles each retry, with full jitter. @default 250 */
  initialBackoffMs?: number;
  /** Longest backoff between attempts. @default 30000 */
  maxBackoffMs?: number;
  /** Longest wait for a rate limit to reset; a longer one fails with RATE_LIMITED and its retryAfterMs. @default 900000 */
  maxRateLimitWaitMs?: number;
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold?: number;
  /** Milliseconds the circuit stays open before a trial request. @default 30000 */
  resetTimeoutMs?: number;
  /** Client-side token bucket shared by every call of this client; 0 turns it off. @default ${rl.requestsPerSecond ?? 0}${rl.requestsPerSecond ? '' : ' (no documented rate)'} */
  requestsPerSecond?: number;
  logger?: ClientLogger;
  metrics?: ClientMetrics;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Makes idempotency keys. @default crypto.randomUUID */
  newIdempotencyKey?: () => string;
}

/** Per call: an idempotency key of your own (reuse it to retry a call yourself), and a cap on attempts. */
export interface CallOptions {
  idempotencyKey?: string;
  maxAttempts?: number;
}

export type ${err}Code = 'HTTP_ERROR' | 'API_ERROR' | 'RATE_LIMITED' | 'TIMEOUT' | 'NETWORK' | 'CIRCUIT_OPEN' | 'INVALID_REQUEST' | 'INVALID_RESPONSE' | 'AUTH';

/** An error from the ${service.name} API, with the service's own error code when it gave one. It never carries credentials or request bodies. */
export class ${err} extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: ${err}Code,
    readonly retryable: boolean,
    /** The service's code (${http.errors.code ? `\\\`${http.errors.code}\\\` of the error body` : 'none documented'}). */
    readonly serviceCode?: string,
    /** How long the service asked to wait, when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = '${err}';
  }
}

/** Reads credentials from the environment; names a missing variable, never a value. */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): ${name}Credentials {
  const read = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(\`\${key} is not set; see .env.example\`);
    return value;
  };
  return {
${envVars.map((v) => `    ${camel(v.name)}: read('${v.name}'),`).join('\n')}
  };
}`;
}
