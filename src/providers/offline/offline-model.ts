import type { Model, ModelRequest, ModelResponse } from '../model.js';
import { genericRole } from './roles/generic.js';
import { lastResults, type OfflineRoles } from './script.js';

/** Characters per token, for the usage estimate the offline model reports. */
const CHARS_PER_TOKEN = 4;

/**
 * The built-in offline model: deterministic, no network. It answers each agent turn with tool
 * calls, playing the roles its workflow's kind hands it (the integration kind plays them from
 * the service catalog and templates), so every engine, tool, staging and expertise code path is
 * the same as with Claude. A task no role covers is recorded as not done. Usage is an estimate;
 * cost is 0.
 */
export class OfflineModel implements Model {
  readonly specificationVersion = 'v1';
  readonly provider = 'offline';
  readonly modelId = 'offline';

  constructor(private readonly roles: OfflineRoles = () => undefined) {}

  async generate(request: ModelRequest, options: { signal: AbortSignal }): Promise<ModelResponse> {
    options.signal.throwIfAborted();
    const { context } = request;
    const role = this.roles(context) ?? genericRole(context.task, context.agent, context.resultSchema);
    const turn = request.messages.filter((message) => message.role === 'assistant').length;
    const step = role.steps[Math.min(turn, role.steps.length - 1)]!;
    const calls = step({ request, lastResults: lastResults(request) });
    const content = calls.map((call, i) => ({ type: 'tool_use' as const, id: `toolu_offline_${turn}_${i}`, name: call.name, input: call.input }));
    return {
      content,
      stopReason: 'tool_use',
      model: 'offline',
      usage: {
        inputTokens: Math.ceil(inputChars(request) / CHARS_PER_TOKEN),
        outputTokens: Math.ceil(JSON.stringify(content).length / CHARS_PER_TOKEN),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        turns: 0,
      },
    };
  }
}

function inputChars(request: ModelRequest): number {
  let chars = 0;
  for (const block of request.system) chars += block.length;
  for (const message of request.messages) {
    for (const block of message.content) {
      chars += block.type === 'text' ? block.text.length : block.type === 'tool_result' ? block.content.length : JSON.stringify(block.input).length;
    }
  }
  return chars;
}
