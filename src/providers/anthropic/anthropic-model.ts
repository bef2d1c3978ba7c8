import Anthropic from '@anthropic-ai/sdk';
import type { Clock } from '../../runtime/clock.js';
import { costOf } from '../cost.js';
import type { ContentBlock, Model, ModelRequest, ModelResponse, StopReason } from '../model.js';
import type { PrefixGate } from './prefix-gate.js';
import { type ThinkingMemory, toApiParams } from './request.js';
import { type RetryPolicy, withRetries } from './retry.js';

export interface AnthropicModelOptions {
  client: Anthropic;
  modelId: string;
  clock: Clock;
  retry: RetryPolicy;
  gate: PrefixGate;
  thinking: ThinkingMemory;
  random?: () => number;
}

/**
 * Claude through `@anthropic-ai/sdk`. The agent loop is ours, not the SDK's tool runner: the
 * same loop drives the offline and scripted models, and it owns the `finish` protocol, loop
 * detection and the sandboxed tools. This class only maps one request onto `messages.create`.
 */
export class AnthropicModel implements Model {
  readonly specificationVersion = 'v1';
  readonly provider = 'anthropic';
  readonly modelId: string;

  constructor(private readonly options: AnthropicModelOptions) {
    this.modelId = options.modelId;
  }

  async generate(request: ModelRequest, { signal }: { signal: AbortSignal }): Promise<ModelResponse> {
    const { client, clock, retry, gate, thinking } = this.options;
    const params = toApiParams(request, this.modelId, thinking);
    const headers = { 'x-orchestrate-task': request.context.task, 'x-orchestrate-agent': request.context.agent };
    const send = () =>
      withRetries(() => client.messages.create(params, { signal, headers }), {
        clock,
        policy: retry,
        signal,
        modelId: this.modelId,
        ...(this.options.random ? { random: this.options.random } : {}),
      });
    const message = await gate.pass({ model: params.model, tools: params.tools, system: params.system }, send);
    thinking.remember(message.content);
    return fromApiMessage(message);
  }
}

/** The provider-neutral response for an API message, with its usage priced from the price table. */
export function fromApiMessage(message: Anthropic.Messages.Message): ModelResponse {
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
  return {
    content,
    stopReason: stopReasonOf(message.stop_reason),
    usage: { ...tokens, costUsd: costOf(message.model, tokens).usd, turns: 0 },
    model: message.model,
  };
}

function stopReasonOf(reason: Anthropic.Messages.StopReason | null): StopReason {
  switch (reason) {
    case 'tool_use':
    case 'max_tokens':
    case 'refusal':
    case 'stop_sequence':
      return reason;
    // The context window filling up ends the task like the output limit does.
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'end_turn';
  }
}
