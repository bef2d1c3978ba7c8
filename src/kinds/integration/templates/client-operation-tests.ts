import type { Operation, ServiceEntry } from '../catalog/schema.js';
import { camel, envPrefix } from './client.js';
import { hasSideEffect } from './client-operations.js';

/** The URL path and query the client must call for the operation's example, computed here independently. */
function expectedTarget(op: Operation): { target: string; body: Record<string, unknown> | undefined } {
  const rest: Record<string, unknown> = { ...op.example };
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, key: string) => {
    if (/^[A-Z][A-Z0-9_]*$/.test(key)) return encodeURIComponent(`test-${camel(key)}`);
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  if (op.graphql) return { target: path, body: { query: op.graphql, variables: rest } };
  if (op.method === 'GET' || op.method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
    const search = query.toString();
    return { target: search ? `${path}?${search}` : path, body: undefined };
  }
  return { target: path, body: rest };
}

/** One test per operation: the method, URL and body sent for its example, and the typed response. */
function perOperation(service: ServiceEntry, op: Operation): string {
  const { target, body } = expectedTarget(op);
  const response = JSON.stringify(op.array ? [op.exampleResponse] : op.exampleResponse);
  const form = service.auth.bodyEncoding === 'form' && !op.graphql;
  const scalars = Object.entries(body ?? {}).filter(([, v]) => v !== null && typeof v !== 'object');
  const bodyCheck =
    body === undefined
      ? `    expect(calls[0]?.body).toBeUndefined();`
      : form
        ? `    const sent = new URLSearchParams(String(calls[0]?.body));\n${scalars.map(([k, v]) => `    expect(sent.get(${JSON.stringify(k)})).toBe(${JSON.stringify(String(v))});`).join('\n')}`
        : `    expect(JSON.parse(String(calls[0]?.body))).toMatchObject(${JSON.stringify(body)});`;
  return `
  it('${op.name} sends ${op.method} ${op.path} and returns the typed response', async () => {
    const { client, calls, urls } = harness([json(200, ${response})]);
    const result = await client.${op.name}(${JSON.stringify(op.example)});
    expect(result).toEqual(${response});
    expect(calls[0]?.method).toBe('${op.method}');
    expect(urls[0]).toBe(${JSON.stringify(`https://example.test${target}`)});
${bodyCheck}
  });
`;
}

/** Tests of the operations, the retry rules, the rate-limit signals, health check, hooks and base URL. */
export function operationTests(service: ServiceEntry): string {
  const http = service.http!;
  const cls = `${service.className}Client`;
  const err = `${service.className}ApiError`;
  const rl = service.rateLimit;
  const sideEffect = http.operations.find((op) => hasSideEffect(op) && !op.graphql);
  const health = http.operations.find((op) => op.name === http.healthCheck)!;
  const healthResponse = JSON.stringify(health.array ? [health.exampleResponse] : health.exampleResponse);
  const out = http.operations.map((op) => perOperation(service, op));
  if (sideEffect && http.idempotency) {
    const where = 'header' in http.idempotency
      ? `(calls.map((c) => (c.headers as Record<string, string>)[${JSON.stringify(http.idempotency.header.toLowerCase())}]))`
      : service.auth.bodyEncoding === 'form'
        ? `(calls.map((c) => new URLSearchParams(String(c.body)).get(${JSON.stringify(http.idempotency.bodyField)})))`
        : `(calls.map((c) => (JSON.parse(String(c.body)) as Record<string, unknown>)[${JSON.stringify(http.idempotency.bodyField)}]))`;
    out.push(`
  it('retries ${sideEffect.name} after a 500 with the same idempotency key', async () => {
    const { client, calls } = harness([json(500, {}), json(200, ${JSON.stringify(sideEffect.array ? [sideEffect.exampleResponse] : sideEffect.exampleResponse)})]);
    await client.${sideEffect.name}(${JSON.stringify(sideEffect.example)});
    const keys = ${where};
    expect(calls).toHaveLength(2);
    expect(keys[0]).toMatch(/.{8,}/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('uses the caller\\'s idempotency key when given one', async () => {
    const { client, calls } = harness([json(200, ${JSON.stringify(sideEffect.array ? [sideEffect.exampleResponse] : sideEffect.exampleResponse)})]);
    await client.${sideEffect.name}(${JSON.stringify(sideEffect.example)}, { idempotencyKey: 'order-1042-attempt' });
    expect(${where}[0]).toBe('order-1042-attempt');
  });
`);
  } else if (sideEffect) {
    const ok = JSON.stringify(sideEffect.array ? [sideEffect.exampleResponse] : sideEffect.exampleResponse);
    out.push(`
  it('never retries ${sideEffect.name} after a 5xx: it may have been done', async () => {
    const { client, calls } = harness([json(500, {}), json(200, ${ok})]);
    await expect(client.${sideEffect.name}(${JSON.stringify(sideEffect.example)})).rejects.toMatchObject({ status: 500, retryable: false });
    expect(calls).toHaveLength(1);
  });

  it('never retries ${sideEffect.name} after a timeout', async () => {
    const hang: Scripted = (init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const { client, calls } = harness([hang, json(200, ${ok})], { sleep: false, timeoutMs: 5 });
    const outcome = await client.${sideEffect.name}(${JSON.stringify(sideEffect.example)}).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ code: 'TIMEOUT', retryable: false });
    expect(calls).toHaveLength(1);
  });

  it('retries ${sideEffect.name} when the service says it was not done: 429, or 503 with Retry-After', async () => {
    const { client, calls } = harness([json(429, {}, { 'retry-after': '1' }), json(503, {}, { 'retry-after': '2' }), json(200, ${ok})]);
    await client.${sideEffect.name}(${JSON.stringify(sideEffect.example)});
    expect(calls).toHaveLength(3);
  });
`);
  }
  if (http.errors.okFalse) {
    const op = http.operations[0]!;
    out.push(`
  it('turns a 200 with ok: false into a typed error carrying ${service.name}\\'s code', async () => {
    const { client } = harness([json(200, { ok: false, error: 'channel_not_found' })]);
    const error = await client.${op.name}(${JSON.stringify(op.example)}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(${err});
    expect(error).toMatchObject({ code: 'API_ERROR', serviceCode: 'channel_not_found', retryable: false });
  });
`);
  }
  if (http.errors.graphql) {
    const op = http.operations[0]!;
    out.push(`
  it('turns GraphQL errors into a typed error, and retries THROTTLED', async () => {
    const { client, calls } = harness([json(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] }), json(200, { errors: [{ message: 'Access denied', extensions: { code: 'ACCESS_DENIED' } }] })]);
    const error = await client.${op.name}(${JSON.stringify(op.example)}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(${err});
    expect(error).toMatchObject({ code: 'API_ERROR', serviceCode: 'ACCESS_DENIED' });
    expect(calls).toHaveLength(2);
  });
`);
  }
  if (http.errors.code && !http.errors.okFalse && !http.errors.graphql) {
    const path = http.errors.code.split('.');
    let body: unknown = 'resource_missing';
    for (const key of [...path].reverse()) body = /^\d+$/.test(key) ? [body] : { [key]: body };
    out.push(`
  it('carries ${service.name}\\'s error code from the error body', async () => {
    const { client } = harness([json(404, ${JSON.stringify(body)})]);
    await expect(client.${health.name}()).rejects.toMatchObject({ status: 404, code: 'HTTP_ERROR', serviceCode: 'resource_missing' });
  });
`);
  }
  if (rl.remainingHeader && rl.limitedStatuses.includes(403) && rl.resetHeader) {
    out.push(`
  it('treats a 403 with ${rl.remainingHeader}: 0 as a rate limit and waits for the reset', async () => {
    const { client, sleeps, calls } = harness([json(403, { message: 'API rate limit exceeded' }, { ${JSON.stringify(rl.remainingHeader)}: '0', ${JSON.stringify(rl.resetHeader.name)}: '120' }), json(200, ${healthResponse})]);
    await expect(client.${health.name}()).resolves.toEqual(${healthResponse});
    expect(sleeps).toEqual([120_000]);
    expect(calls).toHaveLength(2);
  });

  it('keeps a 403 without a rate-limit signal an AUTH error', async () => {
    const { client, calls } = harness([json(403, { message: 'Resource not accessible by integration' })]);
    await expect(client.${health.name}()).rejects.toMatchObject({ status: 403, code: 'AUTH', retryable: false });
    expect(calls).toHaveLength(1);
  });

  it('honours retry-after on a secondary rate limit', async () => {
    const { client, sleeps } = harness([json(403, { message: 'secondary rate limit' }, { 'retry-after': '30' }), json(200, ${healthResponse})]);
    await client.${health.name}();
    expect(sleeps).toEqual([30_000]);
  });
`);
  }
  if (rl.retryAfterField) {
    out.push(`
  it('waits the ${rl.retryAfterField} seconds of a 429 body', async () => {
    const { client, sleeps } = harness([json(429, { message: 'You are being rate limited.', ${rl.retryAfterField}: 1.5, global: false }), json(200, ${healthResponse})]);
    await client.${health.name}();
    expect(sleeps).toEqual([1500]);
  });
`);
  }
  if (rl.bucketHeader && rl.remainingHeader && rl.resetHeader) {
    out.push(`
  it('waits before calling an exhausted bucket again', async () => {
    const { client, sleeps } = harness([json(200, ${healthResponse}, { ${JSON.stringify(rl.remainingHeader)}: '0', ${JSON.stringify(rl.resetHeader.name)}: '2', ${JSON.stringify(rl.bucketHeader)}: 'abc' }), json(200, ${healthResponse})]);
    await client.${health.name}();
    await client.${health.name}();
    expect(sleeps).toEqual([2000]);
  });
`);
  }
  out.push(`
  it('keeps bursts under the client-side token bucket', async () => {
    const { client, sleeps, metrics } = harness([json(200, ${healthResponse}), json(200, ${healthResponse}), json(200, ${healthResponse})], { requestsPerSecond: 2 });
    for (let i = 0; i < 3; i++) await client.${health.name}();
    expect(sleeps).toEqual([500]);
    expect(metrics).toContainEqual({ type: 'rate-limit-wait', operation: '${health.name}', waitMs: 500, source: 'token-bucket' });
  });

  it('healthCheck makes one cheap authenticated call and never throws', async () => {
    const ok = harness([json(200, ${healthResponse})]);
    await expect(ok.client.healthCheck()).resolves.toMatchObject({ ok: true });
    const denied = harness([json(401, {})]);
    await expect(denied.client.healthCheck()).resolves.toMatchObject({ ok: false, code: 'AUTH', status: 401 });
  });

  it('measures requests by operation and status, and logs without credentials', async () => {
    const { client, metrics, logs } = harness([json(500, {}), json(200, ${healthResponse})]);
    await client.${health.name}();
    expect(metrics.filter((m) => m.type === 'request').map((m) => m.type === 'request' && [m.operation, m.status])).toEqual([['${health.name}', 500], ['${health.name}', 200]]);
    expect(metrics.some((m) => m.type === 'retry')).toBe(true);
    expect(logs.join('\\n')).not.toMatch(/test-/);
  });

  it('takes its base URL from ${envPrefix(service)}_API_BASE_URL', async () => {
    const urls: string[] = [];
    const client = new ${cls}(CREDENTIALS, {
      env: { ${envPrefix(service)}_API_BASE_URL: 'http://127.0.0.1:9/${service.id}' },
      fetch: async (url) => {${service.auth.scheme === 'oauth2-client-credentials' ? `
        if (String(url).endsWith(${JSON.stringify(service.auth.tokenPath ?? '/oauth2/token')})) return new Response(JSON.stringify({ access_token: 't', expires_in: 3600 }), { status: 200 });` : ''}
        urls.push(String(url));
        return new Response(JSON.stringify(${healthResponse}), { status: 200 });
      },
    });
    await client.${health.name}();
    expect(urls[0]).toMatch(/^http:\\/\\/127\\.0\\.0\\.1:9\\/${service.id.replace(/-/g, '\\-')}\\//);
  });
`);
  return out.join('');
}
