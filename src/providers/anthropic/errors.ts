import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { type OrchestrateError, TaskError, UserError } from '../../errors.js';

/** What to do about one failed request. */
export type Failure =
  | { retry: true; reason: string; code: string; retryAfterMs?: number }
  | { retry: false; error: OrchestrateError | unknown };

/**
 * Sorts an SDK error by what to do about it: 401/403 fail at once naming ANTHROPIC_API_KEY,
 * 408/409/429/5xx/529 and connection errors are retried (429 and 529 after `retry-after`),
 * other 4xx fail the task with the API's own message.
 */
export function classifyFailure(error: unknown, modelId: string): Failure {
  if (error instanceof APIUserAbortError) return { retry: false, error };
  if (error instanceof APIConnectionError) {
    return { retry: true, code: 'MODEL_UNREACHABLE', reason: `could not reach the Anthropic API (${error.message})` };
  }
  if (!(error instanceof APIError) || error.status === undefined) return { retry: false, error };
  const status = error.status;
  const detail = `${status}${error.type ? ` ${error.type}` : ''}${error.apiMessage ? `: ${error.apiMessage}` : ''}`;
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
    const code = status === 429 ? 'RATE_LIMITED' : status === 529 ? 'MODEL_OVERLOADED' : 'MODEL_UNAVAILABLE';
    return { retry: true, code, reason: `the Anthropic API answered ${detail}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status === 404) {
    return {
      retry: false,
      error: new UserError('MODEL_NOT_FOUND', `the Anthropic API does not know model "${modelId}" (${detail}); use haiku, sonnet, opus or a current model id`),
    };
  }
  return { retry: false, error: new TaskError('MODEL_REQUEST_REJECTED', `the Anthropic API rejected the request (${detail})`) };
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
