import type { ServiceEntry } from '../catalog/schema.js';

/**
 * The methods of the generated client that read how the service signals trouble: failures inside
 * a 2xx answer (Slack's ok: false, GraphQL errors), rate limits as the service sends them
 * (Retry-After, a reset header with a remaining count of 0, a retry_after body field, buckets),
 * and the client-side token bucket.
 */
export function signalMethods(service: ServiceEntry): string {
  const http = service.http!;
  const rl = service.rateLimit;
  const err = `${service.className}ApiError`;
  return `  /** A failure the service reports inside a 2xx answer${http.errors.okFalse ? ' (Slack: ok false)' : http.errors.graphql ? ' (GraphQL: an errors array)' : ''}. */
  private failureIn(op: OperationSpec, status: number, json: unknown): ${err} | undefined {
${http.errors.okFalse ? `    const body = z.object({ ok: z.literal(false), error: z.string().optional() }).safeParse(json);
    if (body.success) return new ${err}(\`\${op.name} failed: \${body.data.error ?? 'ok: false'}\`, status, 'API_ERROR', false, body.data.error);
    return undefined;`
  : http.errors.graphql ? `    const body = z.object({ errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).optional() })).min(1) }).safeParse(json);
    if (!body.success) return undefined;
    const first = body.data.errors[0]!;
    const throttled = first.extensions?.code === 'THROTTLED';
    // A throttled query was not run: safe to retry after the backoff.
    return new ${err}(\`\${op.name} failed: \${first.message}\`, status, throttled ? 'RATE_LIMITED' : 'API_ERROR', throttled, first.extensions?.code);`
  : `    void op;
    void status;
    void json;
    return undefined;`}
  }

  /** Milliseconds to wait when the answer is a rate limit, as ${service.name} signals it; undefined when it is not one. */
  private rateLimitWait(status: number, headers: Headers, json: unknown): number | undefined {
    const limitedStatus = ${JSON.stringify(rl.limitedStatuses)}.includes(status);
    if (!limitedStatus) return undefined;
    const retryAfter = retryAfterMs(headers, this.options.now());${rl.retryAfterField ? `
    // ${service.name} also puts the seconds to wait in the JSON body.
    const field = z.object({ ${JSON.stringify(rl.retryAfterField)}: z.number() }).safeParse(json);
    const fromBody = field.success ? Math.ceil(field.data[${JSON.stringify(rl.retryAfterField)}] * 1000) : undefined;` : `
    void json;
    const fromBody: number | undefined = undefined;`}${rl.remainingHeader ? `
    const exhausted = headers.get(${JSON.stringify(rl.remainingHeader)}) === '0';
    if (exhausted) return resetWaitMs(headers, this.options.now()) ?? retryAfter ?? fromBody ?? 60_000;` : ''}
    if (status === 429) return retryAfter ?? fromBody ?? this.backoff(1);
    // Another status is a rate limit only when the service says so (GitHub's secondary limits send retry-after).
    return retryAfter ?? fromBody;
  }

  /** Remembers an exhausted bucket, so the next call on it waits instead of being refused. */
  private noteBucket(op: OperationSpec, headers: Headers): void {${rl.remainingHeader ? `
    if (headers.get(${JSON.stringify(rl.remainingHeader)}) !== '0') return;
    const wait = resetWaitMs(headers, this.options.now());
    if (wait !== undefined) this.blockedUntil.set(this.bucketOf(op, headers), this.options.now() + wait);` : `
    void op;
    void headers;`}
  }

  private bucketOf(op: OperationSpec, headers?: Headers): string {${rl.bucketHeader ? `
    const bucket = headers?.get(${JSON.stringify(rl.bucketHeader)});
    if (bucket) this.bucketByOperation.set(op.name, bucket);
    return this.bucketByOperation.get(op.name) ?? op.name;` : `
    void op;
    void headers;
    return '*';`}
  }${rl.bucketHeader ? `

  /** The rate-limit bucket each operation was last told it shares. */
  private readonly bucketByOperation = new Map<string, string>();` : ''}

  /** Waits for the token bucket and for an exhausted rate-limit bucket to open. */
  private async waitForCapacity(op: OperationSpec): Promise<void> {
    const blocked = (this.blockedUntil.get(this.bucketOf(op)) ?? 0) - this.options.now();
    if (blocked > 0) {
      this.options.metrics?.record({ type: 'rate-limit-wait', operation: op.name, waitMs: blocked, source: 'bucket-exhausted' });
      await this.options.sleep(blocked);
    }
    const rate = this.options.requestsPerSecond;
    if (rate <= 0) return;
    const capacity = Math.max(1, Math.ceil(rate));
    const now = this.options.now();
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) {
      const waitMs = Math.ceil(((1 - this.tokens) / rate) * 1000);
      this.options.metrics?.record({ type: 'rate-limit-wait', operation: op.name, waitMs, source: 'token-bucket' });
      await this.options.sleep(waitMs);
      this.tokens = 1;
      this.refilledAt = this.options.now();
    }
    this.tokens -= 1;
  }

`;
}
