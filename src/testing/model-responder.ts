import type { ContentBlock, Message, Model, ModelRequest, RequestContext } from '../providers/model.js';
import type { ApiContentBlock, FakeRequest, FakeResponder } from './fake-anthropic-server.js';

export interface ModelResponderOptions {
  /**
   * More of the request context than the HTTP request carries (it names only the task and the
   * agent), such as the inputs and the results of needed tasks for a model that plays roles.
   */
  context?: (request: FakeRequest) => Partial<RequestContext>;
}

/**
 * A fake-server responder that answers with any {@link Model}: a `ScriptedModel` keyed by task,
 * or the offline model, so a whole workflow runs over real HTTP through the real SDK.
 *
 * @example
 * const server = await startFakeAnthropicServer({ respond: modelResponder(new ScriptedModel({ research: [ScriptedModel.finish({ summary: 'ok' })] })) });
 */
export function modelResponder(model: Model, options: ModelResponderOptions = {}): FakeResponder {
  return async (request) => {
    const modelRequest = toModelRequest(request, options.context?.(request) ?? {});
    const response = await model.generate(modelRequest, { signal: new AbortController().signal });
    const content: ApiContentBlock[] = response.content.flatMap((block): ApiContentBlock[] =>
      block.type === 'text' ? [{ type: 'text', text: block.text }] : block.type === 'tool_use' ? [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }] : [],
    );
    return { content, stopReason: response.stopReason };
  };
}

/** The provider-neutral request a Messages API request stands for. */
export function toModelRequest(request: FakeRequest, context: Partial<RequestContext>): ModelRequest {
  const { body } = request;
  const system = typeof body.system === 'string' ? [body.system] : (body.system ?? []).map((block) => block.text);
  const messages: Message[] = body.messages.map((message) => ({
    role: message.role,
    content: (typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content).flatMap(toContentBlock),
  }));
  return {
    system,
    messages,
    tools: (body.tools ?? []).map((tool) => ({ name: tool.name, description: tool.description ?? '', inputSchema: tool.input_schema })),
    maxTokens: body.max_tokens,
    context: {
      runId: 'fake',
      workflow: 'unknown',
      task: request.task ?? 'unknown',
      agent: request.agent ?? 'unknown',
      inputs: {},
      resultSchema: 'generic',
      needs: {},
      expertise: { learnings: [], conventions: [] },
      ...context,
    },
  };
}

function toContentBlock(block: Record<string, unknown>): ContentBlock[] {
  if (block.type === 'text') return [{ type: 'text', text: String(block.text) }];
  if (block.type === 'tool_use') return [{ type: 'tool_use', id: String(block.id), name: String(block.name), input: block.input }];
  if (block.type === 'tool_result') {
    const content = Array.isArray(block.content)
      ? (block.content as Array<{ text?: string }>).map((part) => part.text ?? '').join('')
      : String(block.content ?? '');
    return [{ type: 'tool_result', toolUseId: String(block.tool_use_id), content, isError: block.is_error === true }];
  }
  return [];
}
