import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { type OrchestrateError, TaskError, UserError } from '../../errors.js';
import { CONTEXT_TOO_LONG } from '../model.js';

/** What to do about one failed request. */
export type Failure =
  | { retry: true; reason: string; code: string; status: number; retryAfterMs?: number }
  | { retry: false; error: OrchestrateError | unknown };


/**
 * Sorts an SDK error by what to do about it: 401/403 fail at once naming ANTHROPIC_API_KEY,
 * 408/409/429/5xx/529 and connection errors are retried (429 and 529 after `retry-after`),
 * other 4xx fail the task with the API's own message. The API's `x-should-retry` header, when
 * present, overrides the status either way, as the SDK's own retry logic does.
 */
export function classifyFailure(error: unknown, modelId: string): Failure {
  if (error instanceof APIUserAbortError) return { retry: false, error };
  if (error instanceof APIConnectionError) {
    return { retry: true, status: 0, code: 'MODEL_UNREACHABLE', reason: `could not reach the Anthropic API (${error.message})` };
  }
  if (!(error instanceof APIError) || error.status === undefined) return { retry: false, error };
  const status = error.status;
  const detail = `${status}${error.type ? ` ${error.type}` : ''}${error.apiMessage ? `: ${error.apiMessage}` : ''}`;
  const shouldRetry = error.headers?.get('x-should-retry');
  if (shouldRetry === 'true' && status !== 401 && status !== 403) {
    const retryAfterMs = retryAfter(error.headers);
    return { retry: true, status, code: codeOf(status), reason: `the Anthropic API answered ${detail}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (shouldRetry === 'false' && (status === 429 || status === 408 || status === 409 || status >= 500)) {
    return { retry: false, error: new TaskError(codeOf(status), `the Anthropic API answered ${detail} and asked not to retry; try again later`) };
  }
  if (status === 400 && /prompt is too long|context window/i.test(error.apiMessage ?? error.message)) {
    return { retry: false, error: new TaskError(CONTEXT_TOO_LONG, `the request is longer than ${modelId}'s context window (${detail})`) };
  }
  if (status === 401 || status === 403) {
    return {
      retry: false,
      error: new UserError(
        'AUTH_FAILED',
        `the Anthropic API refused the credentials (${detail}); check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), or run with --provider offline`,
      ),
    };
  }
  if (status === 429 || status === 408 || status === 409 || status >= 500) {
    const retryAfterMs = retryAfter(error.headers);
    return { retry: true, status, code: codeOf(status), reason: `the Anthropic API answered ${detail}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status === 404) {
    return {
      retry: false,
      error: new UserError('MODEL_NOT_FOUND', `the Anthropic API does not know model "${modelId}" (${detail}); use haiku, sonnet, opus or a current model id`),
    };
  }
  return { retry: false, error: new TaskError('MODEL_REQUEST_REJECTED', `the Anthropic API rejected the request (${detail})`) };
}

function codeOf(status: number): string {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 529) return 'MODEL_OVERLOADED';
  if (status >= 500 || status === 408 || status === 409) return 'MODEL_UNAVAILABLE';
  return 'MODEL_REQUEST_REJECTED';
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
