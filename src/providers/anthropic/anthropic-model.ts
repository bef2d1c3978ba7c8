import Anthropic from '@anthropic-ai/sdk';
import type { Clock } from '../../runtime/clock.js';
import { costOf, type PriceLookup } from '../cost.js';
import { WEB_SEARCH_USD_PER_SEARCH } from '../prices.js';
import type { ContentBlock, GenerateOptions, Model, ModelRequest, ModelResponse, StopReason } from '../model.js';
import { sourcesOf } from './sources.js';
import { LONG_CONTEXT_WINDOW } from '../model-aliases.js';
import { priceOf } from '../prices.js';
import type { PrefixGate } from './prefix-gate.js';
import { toApiParams } from './request.js';
import { type RetryPolicy, withRetries } from './retry.js';

export interface AnthropicModelOptions {
  client: Anthropic;
  modelId: string;
  clock: Clock;
  retry: RetryPolicy;
  gate: PrefixGate;
  /** Prompt caching on (the default); off only to measure what it saves. */
  cache: boolean;
  prices: PriceLookup;
  random?: () => number;
  /** The agent's model carried `[1m]`: ask for the 1M-token context window ({@link LONG_CONTEXT_BETA}). @default false */
  longContext?: boolean;
}

/**
 * The beta that opens the 1M-token context window, as Claude Code sends it for a `[1m]` model
 * (platform.claude.com, "Context windows": "include the context-1m-2025-08-07 beta header").
 */
export const LONG_CONTEXT_BETA = 'context-1m-2025-08-07';

/**
 * Claude through `@anthropic-ai/sdk`. The agent loop is ours, not the SDK's tool runner: the
 * same loop drives the offline and scripted models, and it owns the `finish` protocol, loop
 * detection and the sandboxed tools. This class only maps one request onto a streamed
 * `messages.stream(...).finalMessage()`: streaming lets `max_tokens` be sized per agent far beyond
 * what one non-streaming HTTP request may take, and the SDK assembles the message from the events.
 */
export class AnthropicModel implements Model {
  readonly specificationVersion = 'v1';
  readonly provider = 'anthropic';
  readonly modelId: string;
  readonly limits?: { maxOutputTokens: number; contextWindow: number };

  constructor(private readonly options: AnthropicModelOptions) {
    this.modelId = options.modelId;
    const known = priceOf(options.modelId);
    if (known) this.limits = { maxOutputTokens: known.maxOutputTokens, contextWindow: options.longContext ? LONG_CONTEXT_WINDOW : known.contextWindow };
    else if (options.longContext) this.limits = { maxOutputTokens: Number.MAX_SAFE_INTEGER, contextWindow: LONG_CONTEXT_WINDOW };
  }

  async generate(request: ModelRequest, { signal, onRetry }: GenerateOptions): Promise<ModelResponse> {
    const { client, clock, retry, gate } = this.options;
    const params = toApiParams(request, this.modelId, { cache: this.options.cache });
    const headers: Record<string, string> = { 'x-orchestrate-task': request.context.task, 'x-orchestrate-agent': request.context.agent };
    if (this.options.longContext) headers['anthropic-beta'] = LONG_CONTEXT_BETA;
    const send = () =>
      withRetries(() => client.messages.stream(params, { signal, headers }).finalMessage(), {
        clock,
        policy: retry,
        signal,
        modelId: this.modelId,
        onRetry,
        ...(this.options.random ? { random: this.options.random } : {}),
      });
    const message = await gate.pass({ model: params.model, tools: params.tools, system: params.system }, send);
    return fromApiMessage(message, this.options.prices);
  }
}

/** The provider-neutral response for an API message, its blocks kept as they came, its usage priced. */
export function fromApiMessage(message: Anthropic.Messages.Message, prices?: PriceLookup): ModelResponse {
  const content: ContentBlock[] = [];
  for (const block of message.content) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text });
    else if (block.type === 'tool_use') content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
  }
  const tokens = {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
  };
  const sources = sourcesOf(message.content);
  return {
    content,
    ...(sources.length ? { sources } : {}),
    // A JSON copy: the SDK's streamed blocks carry lazily parsed inputs; what goes back is plain data.
    raw: JSON.parse(JSON.stringify(message.content)) as unknown[],
    stopReason: stopReasonOf(message.stop_reason),
    usage: { ...tokens, costUsd: costOf(message.model, tokens, prices).usd + webSearchCost(message.usage), turns: 0 },
    model: message.model,
  };
}

/** What the server's web searches in one reply cost beyond their tokens (usage.server_tool_use). */
function webSearchCost(usage: Anthropic.Messages.Usage): number {
  return (usage.server_tool_use?.web_search_requests ?? 0) * WEB_SEARCH_USD_PER_SEARCH;
}

function stopReasonOf(reason: Anthropic.Messages.StopReason | null): StopReason {
  switch (reason) {
    case 'tool_use':
    case 'max_tokens':
    case 'refusal':
    case 'stop_sequence':
    case 'pause_turn':
    case 'model_context_window_exceeded':
      return reason;
    default:
      return 'end_turn';
  }
}
