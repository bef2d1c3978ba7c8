import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { priceOf } from '../providers/prices.js';
import { type FakeUsage, PromptCache } from './fake-cache.js';
import { validateMessagesRequest } from './fake-validation.js';

/** A content block as the Messages API sends it. */
export type ApiContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string };

/** A Messages API request body as the fake server received it. */
export interface ApiMessagesBody {
  model: string;
  max_tokens: number;
  system?: string | Array<{ type: 'text'; text: string; cache_control?: unknown }>;
  messages: Array<{ role: 'user' | 'assistant'; content: string | Array<Record<string, unknown>> }>;
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown>; cache_control?: unknown }>;
  [key: string]: unknown;
}

/** One request the fake server received. */
export interface FakeRequest {
  /** 0 for the first request the server received. */
  index: number;
  body: ApiMessagesBody;
  headers: IncomingHttpHeaders;
  /** The task and agent orchestrate names in its `x-orchestrate-task` / `x-orchestrate-agent` headers. */
  task: string | undefined;
  agent: string | undefined;
}

/** What the fake server answers: a message, an API error, or a dropped connection. */
export type FakeReply =
  | { content: ApiContentBlock[]; stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'stop_sequence'; model?: string }
  | { status: number; type?: string; message?: string; headers?: Record<string, string> }
  | { resetConnection: true };

export type FakeResponder = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeAnthropicServerOptions {
  /** A function of each request, or replies used in order. */
  respond: FakeResponder | FakeReply[];
  /** When set, any other key (`x-api-key` or `authorization: Bearer`) gets a 401 like the real API. */
  apiKey?: string;
  /** The cache's clock. @default Date.now */
  now?: () => number;
  /** @default 300_000 */
  cacheTtlMs?: number;
  /** Minimum cacheable prefix per model. @default the price table's, else 1024 */
  minCacheTokens?: (model: string) => number;
}

/** What one answered request cost, as the server accounted it. */
export interface FakeExchange {
  request: FakeRequest;
  status: number;
  usage?: FakeUsage & { output_tokens: number };
}

export interface FakeAnthropicServer {
  /** The base URL to hand the SDK (`ANTHROPIC_BASE_URL` or `baseURL`). */
  url: string;
  requests: FakeRequest[];
  exchanges: FakeExchange[];
  /** Throws when scripted replies were left unused. */
  assertComplete(): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server speaking the Anthropic Messages API (`POST /v1/messages`) with scripted
 * replies and simulated prompt caching, for testing workflows with the real SDK and no network.
 * It validates requests as the API does (roles alternate, every tool result answers a tool call,
 * at most 4 cache breakpoints) and answers 400 when they are wrong.
 *
 * @example
 * const server = await startFakeAnthropicServer({ respond: [{ content: [{ type: 'tool_use', id: 't1', name: 'finish', input: { summary: 'ok' } }] }] });
 * await runWorkflow({ workflow: 'mine', cwd, provider: 'anthropic', runtime: { env: { ANTHROPIC_API_KEY: 'test', ANTHROPIC_BASE_URL: server.url } } });
 * await server.close();
 */
export async function startFakeAnthropicServer(options: FakeAnthropicServerOptions): Promise<FakeAnthropicServer> {
  const queue = Array.isArray(options.respond) ? [...options.respond] : undefined;
  const respond: FakeResponder = Array.isArray(options.respond)
    ? () => queue!.shift() ?? { status: 500, type: 'api_error', message: 'fake server: no scripted reply left' }
    : options.respond;
  const cache = new PromptCache({
    ...(options.now ? { now: options.now } : {}),
    ...(options.cacheTtlMs !== undefined ? { ttlMs: options.cacheTtlMs } : {}),
    minTokens: options.minCacheTokens ?? ((model) => priceOf(model)?.minCacheTokens ?? 1024),
  });
  const requests: FakeRequest[] = [];
  const exchanges: FakeExchange[] = [];
  let ids = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${++ids}`, ...headers });
          res.end(JSON.stringify(body));
        };
        const error = (status: number, type: string, message: string, headers?: Record<string, string>) =>
          send(status, { type: 'error', error: { type, message } }, headers);
        if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) return error(404, 'not_found_error', `fake server: no route ${req.method} ${req.url}`);
        let body: ApiMessagesBody;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ApiMessagesBody;
        } catch {
          return error(400, 'invalid_request_error', 'body is not JSON');
        }
        const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
        const request: FakeRequest = { index: requests.length, body, headers: req.headers, task: header('x-orchestrate-task'), agent: header('x-orchestrate-agent') };
        requests.push(request);
        if (options.apiKey !== undefined && credentialOf(req.headers) !== options.apiKey) {
          exchanges.push({ request, status: 401 });
          return error(401, 'authentication_error', 'invalid x-api-key');
        }
        const invalid = validateMessagesRequest(body);
        if (invalid) {
          exchanges.push({ request, status: 400 });
          return error(400, 'invalid_request_error', invalid);
        }
        const reply = await respond(request);
        if ('resetConnection' in reply) {
          exchanges.push({ request, status: 0 });
          req.socket.destroy();
          return;
        }
        if ('status' in reply) {
          exchanges.push({ request, status: reply.status });
          return error(reply.status, reply.type ?? 'api_error', reply.message ?? `fake server error ${reply.status}`, reply.headers);
        }
        const usage = { ...cache.account(body), output_tokens: Math.ceil(JSON.stringify(reply.content).length / 4) };
        exchanges.push({ request, status: 200, usage });
        send(200, {
          id: `msg_fake_${ids + 1}`,
          type: 'message',
          role: 'assistant',
          model: reply.model ?? body.model,
          content: reply.content,
          stop_reason: reply.stopReason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
          stop_sequence: null,
          usage,
        });
      })().catch((failure: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `fake server responder failed: ${(failure as Error).message}` } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    exchanges,
    assertComplete() {
      if (queue && queue.length) throw new Error(`fake Anthropic server: ${queue.length} scripted replies were not used`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The credential a request carries: `x-api-key`, or the bearer token the SDK sends. */
export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers['x-api-key'];
  if (typeof key === 'string') return key;
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '');
  return bearer?.[1];
}
