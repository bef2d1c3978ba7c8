import { durationToMs } from '../schema/duration.js';
import type { RetryPolicy } from '../schema/workflow.js';

/** A retry policy with every field resolved to a number of milliseconds. Plain JSON. */
export interface ResolvedRetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  jitter: number;
  nonRetryableErrorCodes: string[];
}

/**
 * Codes that never retry whatever the policy says: retrying cannot help (a spent budget, a
 * cancelled run, a run out of time, a gate that did not hold), the input is wrong, or the
 * provider has already said no for good (a bad key, an unknown model, a request that differs
 * from the recording being replayed). The provider retries overload and rate limits itself.
 */
export const ALWAYS_FINAL_CODES: ReadonlySet<string> = new Set([
  'BUDGET_EXCEEDED',
  'CANCELLED',
  'RUN_TIMEOUT',
  'GATE_FAILED',
  'INVALID_INPUT',
  'AUTH_FAILED',
  'MODEL_NOT_FOUND',
  'REPLAY_MISMATCH',
]);

/**
 * The engine's defaults. One attempt: retries cost model calls, so a workflow asks for them
 * on purpose (DESIGN: retries happen at one layer, on purpose).
 */
export const DEFAULT_RETRY: ResolvedRetryPolicy = {
  maximumAttempts: 1,
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maximumIntervalMs: 100_000,
  jitter: 0.2,
  nonRetryableErrorCodes: [],
};

/** Merges a task's policy over the workflow's defaults over the engine's, field by field. */
export function resolveRetryPolicy(...layers: (RetryPolicy | undefined)[]): ResolvedRetryPolicy {
  const merged: RetryPolicy = {};
  for (const layer of layers) if (layer) Object.assign(merged, layer);
  const initialIntervalMs = merged.initialInterval !== undefined ? durationToMs(merged.initialInterval) : DEFAULT_RETRY.initialIntervalMs;
  return {
    maximumAttempts: merged.maximumAttempts ?? DEFAULT_RETRY.maximumAttempts,
    initialIntervalMs,
    backoffCoefficient: merged.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
    maximumIntervalMs: merged.maximumInterval !== undefined ? durationToMs(merged.maximumInterval) : Math.max(initialIntervalMs * 100, initialIntervalMs),
    jitter: merged.jitter ?? DEFAULT_RETRY.jitter,
    nonRetryableErrorCodes: merged.nonRetryableErrorCodes ?? DEFAULT_RETRY.nonRetryableErrorCodes,
  };
}

/** Whether a failed attempt is retried: attempts left, and a code the policy lets retry. */
export function shouldRetry(policy: ResolvedRetryPolicy, attempt: number, code: string): boolean {
  return attempt < policy.maximumAttempts && !ALWAYS_FINAL_CODES.has(code) && !policy.nonRetryableErrorCodes.includes(code);
}

/**
 * The wait before the attempt after `attempt` (1-based):
 * `min(initial * coefficient^(attempt-1), maximum)`, minus up to `jitter` of it at random.
 * `random` is injected so tests get the same delays every time.
 */
export function retryDelayMs(policy: ResolvedRetryPolicy, attempt: number, random: () => number): number {
  const base = Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1), policy.maximumIntervalMs);
  return Math.round(base * (1 - policy.jitter * random()));
}
