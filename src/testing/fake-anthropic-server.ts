import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { priceOf } from '../providers/prices.js';
import { type FakeUsage, PromptCache } from './fake-cache.js';
import { applyServerTools } from './fake-research.js';
import { writeMessageStream, type FakeMessage } from './fake-stream.js';
import { ThinkingLedger } from './fake-thinking.js';
import { validateMessagesRequest } from './fake-validation.js';

/** A content block as the Messages API sends it. */
export type ApiContentBlock =
  | { type: 'text'; text: string; citations?: Array<Record<string, unknown>> }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  /** `signature` may be left empty: the server signs the block, and checks it when it comes back. */
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'server_tool_use'; id: string; name: string; input: unknown }
  | { type: 'web_search_tool_result' | 'web_fetch_tool_result'; tool_use_id: string; content: unknown };

/** Every stop reason the Messages API documents. */
export type FakeStopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'stop_sequence' | 'pause_turn' | 'model_context_window_exceeded';

/** A Messages API request body as the fake server received it. */
export interface ApiMessagesBody {
  model: string;
  max_tokens: number;
  system?: string | Array<{ type: 'text'; text: string; cache_control?: unknown }>;
  messages: Array<{ role: 'user' | 'assistant'; content: string | Array<Record<string, unknown>> }>;
  /** Client tools; server tools (web search, web fetch) have a `type` and no `input_schema`. */
  tools?: Array<{ name: string; type?: string; description?: string; input_schema: Record<string, unknown>; cache_control?: unknown; [key: string]: unknown }>;
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
  | { content: ApiContentBlock[]; stopReason?: FakeStopReason; model?: string }
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
  /**
   * The context window per model, in (estimated) tokens: a longer request is refused with the
   * API's 400 "prompt is too long". A request carrying the `context-1m-2025-08-07` beta
   * (`anthropic-beta` header) has 1M tokens. @default the model table's, else no limit
   */
  contextWindow?: (model: string, betas: readonly string[]) => number | undefined;
  /** Largest `max_tokens` per model. @default the model table's, else no limit */
  maxOutputTokens?: (model: string) => number | undefined;
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
 * at most 4 cache breakpoints, thinking blocks come back signed and unchanged, `max_tokens` and
 * the context window are within the model's limits) and answers 400 when they are wrong. A
 * request with `stream: true` is answered with the server-sent events the SDK parses.
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
  const contextWindow = options.contextWindow ?? ((model: string, betas: readonly string[]) => (betas.includes('context-1m-2025-08-07') ? 1_000_000 : priceOf(model)?.contextWindow));
  const maxOutput = options.maxOutputTokens ?? ((model: string) => priceOf(model)?.maxOutputTokens);
  const thinking = new ThinkingLedger();
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
        const invalid = validateMessagesRequest(body) ?? thinking.check(body.messages) ?? limits(body, betasOf(req.headers));
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
        const served = applyServerTools(body, reply.content);
        const research = served.used.web_search_requests + served.used.web_fetch_requests ? { server_tool_use: served.used } : {};
        const usage = { ...cache.account(body), output_tokens: Math.ceil(JSON.stringify(served.content).length / 4), ...research };
        exchanges.push({ request, status: 200, usage });
        const message: FakeMessage = {
          id: `msg_fake_${ids + 1}`,
          type: 'message',
          role: 'assistant',
          model: reply.model ?? body.model,
          content: thinking.issue(served.content as unknown as Array<Record<string, unknown>>),
          stop_reason: reply.stopReason ?? (served.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
          stop_sequence: null,
          usage,
        };
        if (body.stream === true) return writeMessageStream(res, message, { 'request-id': `req_fake_${++ids}` });
        send(200, message);
      })().catch((failure: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `fake server responder failed: ${(failure as Error).message}` } }));
      });
    });
  });
  /** The size limits the API enforces: the output limit and the context window. */
  function limits(body: ApiMessagesBody, betas: readonly string[]): string | undefined {
    const maxTokens = maxOutput(body.model);
    if (maxTokens !== undefined && body.max_tokens > maxTokens) {
      return `max_tokens: ${body.max_tokens} > ${maxTokens}, which is the maximum allowed number of output tokens for ${body.model}`;
    }
    const window = contextWindow(body.model, betas);
    const tokens = cache.tokens(body);
    if (window !== undefined && tokens > window) return `prompt is too long: ${tokens} tokens > ${window} maximum`;
    return undefined;
  }

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

/** The betas a request asks for: `anthropic-beta` is a comma-separated list. */
function betasOf(headers: IncomingHttpHeaders): string[] {
  const value = headers['anthropic-beta'];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').map((beta) => beta.trim()).filter(Boolean);
}
