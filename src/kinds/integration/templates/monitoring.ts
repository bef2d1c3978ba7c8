import type { ServiceEntry } from '../catalog/schema.js';

/** Where the integration specialist writes what to watch. */
export const monitoringPath = (service: ServiceEntry) => `docs/integrations/${service.id}-monitoring.md`;

/** The metrics the generated code emits, one line each: name, what it counts, its labels. */
export function emittedMetrics(service: ServiceEntry): string[] {
  if (service.kind !== 'http-api') return [`${service.className}Connection health check: ok or the error, from your readiness probe`];
  return [
    '`request`: every HTTP call, by operation and status (a number, `timeout` or `network`), with `durationMs`',
    '`retry`: a call retried, by operation, attempt and reason, with the wait before it',
    '`rate-limit-wait`: a wait for the client-side token bucket or an exhausted rate limit, by operation, with the wait',
    '`circuit`: the breaker changing state (`closed`, `open`, `half-open`)',
    ...(service.webhook ? ['webhook handler answers: 2xx processed or duplicate, 401 signature rejected, 400 unreadable body'] : []),
  ];
}

/** Alert thresholds for those metrics: where a person should be paged or told. */
export function alertThresholds(service: ServiceEntry): string[] {
  const rate = service.rateLimit.requestsPerSecond;
  if (service.kind !== 'http-api') return [`the health check failing 3 times in a row`, `connection errors above 1% of queries over 5 minutes`];
  return [
    '5xx and timeouts above 5% of `request` over 5 minutes',
    'p95 `request.durationMs` above 2 s over 10 minutes (the per-attempt timeout is 10 s)',
    'more than 10% of calls retried over 15 minutes',
    `\`rate-limit-wait\` on most calls over 15 minutes${rate ? ` (the client holds itself to ${rate} requests/s)` : ''}: lower the call rate or raise the plan`,
    'any `circuit` state `open`',
    ...(service.webhook ? [`more than 5 webhook 401s in 10 minutes: a wrong ${service.webhook.secretEnvVar} or a proxy rewriting the URL`] : []),
  ];
}

/** What the client's defaults cost and allow: timeouts, retries, the request rate. */
export function performanceLines(service: ServiceEntry): string[] {
  if (service.kind !== 'http-api') return ['connect with retry and exponential backoff; one health check query per probe'];
  const rate = service.rateLimit.requestsPerSecond;
  const idem = service.http?.idempotency;
  return [
    'each attempt times out after 10 s (`timeoutMs`); up to 4 attempts (`maxAttempts`), backoff from 250 ms doubling to 30 s with full jitter',
    rate ? `client-side token bucket: ${rate} requests/s shared by every call of one client (\`requestsPerSecond\`)` : 'no documented request rate: the client-side token bucket is off unless `requestsPerSecond` is set',
    'the circuit opens after 5 consecutive failures and tries again after 30 s',
    idem ? `retries of side effects are free of duplicates: the same ${'header' in idem ? idem.header : idem.bodyField} on every attempt` : 'side effects are retried only on 429 or 503 with Retry-After, never after a timeout or a 5xx',
  ];
}

/** The rate limits as the service signals them and as the client reads them. */
export function rateLimitLines(service: ServiceEntry): string[] {
  const rl = service.rateLimit;
  const mark = rl.confidence === 'unverified' ? ' (UNVERIFIED)' : '';
  return [
    ...rl.signals.map((signal) => `${signal}${mark}`),
    `limited statuses read: ${rl.limitedStatuses.join(', ')}${rl.remainingHeader ? ` with \`${rl.remainingHeader}: 0\`` : ''}${rl.retryAfterHeader ? '; Retry-After honoured' : ''}${rl.resetHeader ? `; waits for \`${rl.resetHeader.name}\`` : ''}${rl.retryAfterField ? `; JSON \`${rl.retryAfterField}\`` : ''}${rl.bucketHeader ? `; buckets by \`${rl.bucketHeader}\`` : ''}`,
  ];
}

/** The typed operations: each method with the fields it sends and the ones it returns. */
export function dataTypeLines(service: ServiceEntry): string[] {
  return (service.http?.operations ?? []).map((op) => {
    const fields = (record: Record<string, unknown>) => Object.keys(record).join(', ') || 'nothing';
    return `${op.name}: ${op.method} ${op.path}, sends ${fields(op.request)}; returns ${op.array ? 'a list of ' : ''}${fields(op.response)} (zod-validated)`;
  });
}

/** `docs/integrations/<service>-monitoring.md`: the metrics the client emits and when to alert. */
export function monitoringDoc(service: ServiceEntry): string {
  const table = emittedMetrics(service).map((metric) => `- ${metric}`).join('\n');
  return `# Monitoring: ${service.name} integration

## Metrics the client emits
${service.kind === 'http-api' ? 'Through the `metrics` hook of the client (`{ record(metric) }`): wire it to your metrics system.\n' : ''}${table}
${service.kind === 'http-api' ? '\nCall `healthCheck()` from your readiness probe: one cheap authenticated call; it never throws.\n' : ''}
## Alert thresholds
${alertThresholds(service).map((alert) => `- ${alert}`).join('\n')}

## Performance
${performanceLines(service).map((line) => `- ${line}`).join('\n')}

## Rate limits
${rateLimitLines(service).map((line) => `- ${line}`).join('\n')}
`;
}
