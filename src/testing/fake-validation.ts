import type { ApiMessagesBody } from './fake-anthropic-server.js';

/**
 * The request checks the real Messages API makes that a provider bug would trip: returns the
 * problem as the API's 400 message would, or undefined when the request is valid.
 */
export function validateMessagesRequest(body: ApiMessagesBody): string | undefined {
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: must be a positive integer';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  if (body.messages[0]!.role !== 'user') return 'messages: first message must use the "user" role';
  let breakpoints = 0;
  const count = (block: unknown) => {
    if (block && typeof block === 'object' && (block as { cache_control?: unknown }).cache_control) breakpoints++;
  };
  (body.tools ?? []).forEach(count);
  if (Array.isArray(body.system)) body.system.forEach(count);
  for (const tool of body.tools ?? []) {
    if (!/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) return `tools: invalid tool name "${tool.name}"`;
    if (typeof tool.type === 'string' && tool.type !== 'custom') {
      const problem = serverToolProblem(tool);
      if (problem) return problem;
      continue;
    }
    if (tool.input_schema?.type !== 'object') return `tools.${tool.name}.input_schema.type: must be "object"`;
    if ((tool as { strict?: unknown }).strict === true) {
      const loose = looseObject(tool.input_schema, `tools.${tool.name}.input_schema`);
      if (loose) return `${loose}: strict tools need additionalProperties: false on every object`;
    }
  }
  let pendingCalls = new Set<string>();
  for (const [i, message] of body.messages.entries()) {
    if (i > 0 && body.messages[i - 1]!.role === message.role) return `messages.${i}: roles must alternate between "user" and "assistant"`;
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (!Array.isArray(content) || content.length === 0) return `messages.${i}: content must not be empty`;
    content.forEach(count);
    if (message.role === 'user') {
      const results = content.filter((block) => block.type === 'tool_result').map((block) => String(block.tool_use_id));
      for (const id of results) if (!pendingCalls.has(id)) return `messages.${i}: tool_result for unknown tool_use id ${id}`;
      for (const id of pendingCalls) if (!results.includes(id)) return `messages.${i}: tool_use ids were found without tool_result blocks immediately after: ${id}`;
      pendingCalls = new Set();
    } else {
      for (const block of content) {
        if (block.type === 'tool_use') {
          pendingCalls.add(String(block.id));
        }
        if (block.type === 'text' && block.text === '') return `messages.${i}: text content blocks must be non-empty`;
      }
    }
  }
  if (breakpoints > 4) return `A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`;
  return undefined;
}

/** The API's web search and fetch tools: a known version, its own name, a positive max_uses, bare domains. */
function serverToolProblem(tool: Record<string, unknown>): string | undefined {
  const kind = /^(web_search|web_fetch)_\d{8}$/.exec(String(tool.type))?.[1];
  if (!kind) return `tools.${String(tool.name)}.type: unknown server tool type "${String(tool.type)}"`;
  if (tool.name !== kind) return `tools.${String(tool.name)}.name: a ${kind} tool must be named "${kind}"`;
  if (tool.max_uses !== undefined && (!Number.isInteger(tool.max_uses) || (tool.max_uses as number) < 1)) return `tools.${kind}.max_uses: must be a positive integer`;
  if (tool.allowed_domains !== undefined && tool.blocked_domains !== undefined) return `tools.${kind}: allowed_domains and blocked_domains cannot be used together`;
  for (const domain of [...((tool.allowed_domains as unknown[]) ?? []), ...((tool.blocked_domains as unknown[]) ?? [])]) {
    if (typeof domain !== 'string' || /^[a-z]+:\/\//i.test(domain)) return `tools.${kind}: domains are given without a scheme, not "${String(domain)}"`;
  }
  return undefined;
}

/** The path of the first object schema that does not set `additionalProperties: false`; undefined when all do. */
function looseObject(schema: unknown, at: string): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' && node.additionalProperties !== false) return at;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'properties' || key === '$defs') && value && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) {
        const found = looseObject(child, `${at}.properties.${name}`);
        if (found) return found;
      }
    } else if (Array.isArray(value)) {
      for (const [i, child] of value.entries()) {
        const found = looseObject(child, `${at}.${key}[${i}]`);
        if (found) return found;
      }
    } else if (key === 'items') {
      const found = looseObject(value, `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
