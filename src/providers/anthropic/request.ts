import type Anthropic from '@anthropic-ai/sdk';
import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';
import type { Message, ModelRequest, ToolSpec } from '../model.js';
import { priceOf } from '../prices.js';

type Params = Anthropic.Messages.MessageCreateParamsStreaming;
type BlockParam = Anthropic.Messages.ContentBlockParam;

const EPHEMERAL = { type: 'ephemeral' } as const;

/** The newest versions of the API's server-side research tools in SDK 1.12 (their type names carry the version). */
export const WEB_SEARCH_TOOL = 'web_search_20260318';
export const WEB_FETCH_TOOL = 'web_fetch_20260318';
/** A fetched page is cut to about this many tokens in the context. */
const MAX_FETCH_TOKENS = 20_000;

/**
 * The Messages API request for a model request. Assistant turns go back exactly as the API
 * returned them (`raw`: every block in order, thinking with its signature), never rebuilt.
 * Prompt caching (the API reads a prompt as tools, system, messages): the first system block
 * (what every agent of the run shares) and the last (the agent's own prompt) end with a
 * breakpoint, and so do the last two user turns, so each turn reads what the one before sent:
 * four breakpoints, the API's most. Tools come in the registry's order with `finish` last (see
 * toolSpecs), so agents with the same tools share the first prefix and sibling tasks of one
 * agent share the whole system prompt.
 */
export function toApiParams(request: ModelRequest, modelId: string, options: { cache?: boolean } = {}): Params {
  const cache = options.cache ?? true;
  const model = priceOf(modelId);
  const system: Anthropic.Messages.TextBlockParam[] = request.system
    .filter((text) => text.length > 0)
    .map((text, i, all) => (cache && (i === 0 || i === all.length - 1) ? { type: 'text', text, cache_control: EPHEMERAL } : { type: 'text', text }));
  const messages = request.messages.map(toApiMessage);
  const userTurns = cache ? messages.flatMap((message, i) => (message.role === 'user' ? [i] : [])).slice(-2) : [];
  for (const index of userTurns) {
    const content = messages[index]!.content as BlockParam[];
    const last = content[content.length - 1];
    if (last && (last.type === 'text' || last.type === 'tool_result')) content[content.length - 1] = { ...last, cache_control: EPHEMERAL };
  }
  const tools: Anthropic.Messages.ToolUnion[] = request.tools.map((tool) => toApiTool(tool, model !== undefined));
  if (request.research) {
    const domains = request.research.allowedDomains.length ? { allowed_domains: request.research.allowedDomains } : {};
    tools.push(
      { type: WEB_SEARCH_TOOL, name: 'web_search', max_uses: request.research.maxUses, ...domains },
      { type: WEB_FETCH_TOOL, name: 'web_fetch', max_uses: request.research.maxUses, max_content_tokens: MAX_FETCH_TOKENS, citations: { enabled: true }, ...domains },
    );
  }
  return {
    model: modelId,
    max_tokens: request.maxTokens,
    stream: true,
    system,
    messages,
    tools,
    ...(request.effort && model?.effort ? { output_config: { effort: request.effort } } : {}),
  };
}

/**
 * A tool; a strict one (on a model the table knows) gets the schema the SDK's own transform makes
 * acceptable to strict mode, constraints it cannot enforce moved into descriptions. A schema the
 * transform cannot take (a property of any type) is sent as it is, not strict.
 */
function toApiTool(tool: ToolSpec, strictKnown: boolean): Anthropic.Messages.Tool {
  const schema = { type: 'object', ...tool.inputSchema };
  const strictSchema = tool.strict === true && strictKnown ? strictOf(schema) : undefined;
  return {
    name: tool.name,
    description: tool.description,
    input_schema: (strictSchema ?? schema) as Anthropic.Messages.Tool.InputSchema,
    ...(strictSchema ? { strict: true } : {}),
  };
}

function strictOf(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return transformJSONSchema(schema);
  } catch {
    return undefined;
  }
}

function toApiMessage(message: Message): Anthropic.Messages.MessageParam {
  if (message.role === 'assistant' && message.raw?.length) {
    // A copy, so the cache markers set on user turns never leak into the kept turn.
    return { role: 'assistant', content: JSON.parse(JSON.stringify(message.raw)) as BlockParam[] };
  }
  const content: BlockParam[] = [];
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
