import { TaskError } from '../../errors.js';
import type { Clock } from '../../runtime/clock.js';
import type { RetryNotice } from '../model.js';
import { classifyFailure } from './errors.js';

/**
 * How the provider retries one request. The SDK's own retries are switched off
 * (`maxRetries: 0`): they sleep on real timers a test cannot control and would stack under
 * these. Retrying here, request by request, also keeps a long agent loop from restarting when
 * one call hits a 529; the engine's task-level retries stay for failures that outlive these.
 */
export interface RetryPolicy {
  /** Tries per request, the first included. @default 5 */
  maxAttempts: number;
  /** First backoff; it doubles each try. @default 1000 */
  baseDelayMs: number;
  /** @default 30_000 */
  maxDelayMs: number;
  /** A `retry-after` longer than this is not waited out: the request fails. @default 120_000 */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export interface RetryOptions {
  clock: Clock;
  policy: RetryPolicy;
  signal: AbortSignal;
  modelId: string;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** Told about each retry before it waits, such as for a log line. */
  onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/** Runs `send`, retrying transient failures with backoff and honouring `retry-after`. */
export async function withRetries<T>(send: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, clock, signal } = options;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      const failure = classifyFailure(error, options.modelId);
      if (!failure.retry) throw failure.error;
      if (attempt >= policy.maxAttempts) {
        throw new TaskError(failure.code, `${failure.reason}, after ${attempt} attempts; try again later`, { cause: error });
      }
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
        throw new TaskError(failure.code, `${failure.reason}, and asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s; try again later`, { cause: error });
      }
      // Full backoff with up to 25% jitter, so parallel tasks do not retry in step.
      const backoff = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs) * (1 - random() * 0.25);
      const delayMs = Math.round(failure.retryAfterMs ?? backoff);
      options.onRetry?.({ attempt, status: failure.status, delayMs, code: failure.code, reason: failure.reason });
      await clock.sleep(delayMs, signal);
    }
  }
}
