import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, Message, ModelRequest } from '../model.js';

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type BlockParam = Anthropic.Messages.ContentBlockParam;
type ApiBlock = Anthropic.Messages.ContentBlock;

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Thinking blocks the API returned, kept by the id of the tool call they preceded. The API wants
 * them back, unchanged, in the assistant turn that made the call; our provider-neutral content
 * blocks do not carry them, so the provider remembers them for the life of the run.
 */
export class ThinkingMemory {
  private readonly byToolUse = new Map<string, BlockParam[]>();

  remember(content: readonly ApiBlock[]): void {
    const thinking: BlockParam[] = [];
    for (const block of content) {
      if (block.type === 'thinking') thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
      else if (block.type === 'redacted_thinking') thinking.push({ type: 'redacted_thinking', data: block.data });
      else if (block.type === 'tool_use' && thinking.length) {
        this.byToolUse.set(block.id, thinking.splice(0));
      }
    }
  }

  recall(content: readonly ContentBlock[]): BlockParam[] {
    const first = content.find((block) => block.type === 'tool_use');
    return first?.type === 'tool_use' ? (this.byToolUse.get(first.id) ?? []) : [];
  }
}

/**
 * The Messages API request for a model request. Prompt caching: the system blocks (agent prompt,
 * expertise, workflow context: the stable prefix) end with a breakpoint, and so do the last two
 * user turns, so each turn of the loop reads everything the turn before it sent.
 */
export function toApiParams(request: ModelRequest, modelId: string, memory: ThinkingMemory): Params {
  const system: Anthropic.Messages.TextBlockParam[] = request.system
    .filter((text) => text.length > 0)
    .map((text, i, all) => (i === all.length - 1 ? { type: 'text', text, cache_control: EPHEMERAL } : { type: 'text', text }));
  const messages = request.messages.map((message) => toApiMessage(message, memory));
  const userTurns = messages.flatMap((message, i) => (message.role === 'user' ? [i] : [])).slice(-2);
  for (const index of userTurns) {
    const content = messages[index]!.content as BlockParam[];
    const last = content[content.length - 1];
    if (last && (last.type === 'text' || last.type === 'tool_result')) content[content.length - 1] = { ...last, cache_control: EPHEMERAL };
  }
  return {
    model: modelId,
    max_tokens: request.maxTokens,
    system,
    messages,
    tools: request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { type: 'object', ...tool.inputSchema } as Anthropic.Messages.Tool.InputSchema,
    })),
  };
}

function toApiMessage(message: Message, memory: ThinkingMemory): Anthropic.Messages.MessageParam {
  const content: BlockParam[] = message.role === 'assistant' ? [...memory.recall(message.content)] : [];
  for (const block of message.content) {
    if (block.type === 'text') {
      if (block.text.length > 0) content.push({ type: 'text', text: block.text });
    } else if (block.type === 'tool_use') {
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
    } else {
      content.push({ type: 'tool_result', tool_use_id: block.toolUseId, content: block.content, is_error: block.isError });
    }
  }
  // The API refuses an empty turn; an assistant turn that said nothing is sent as such.
  if (content.length === 0) content.push({ type: 'text', text: message.role === 'assistant' ? '(no output)' : '(continue)' });
  return { role: message.role, content };
}
