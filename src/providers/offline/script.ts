import type { ContentBlock, ModelRequest, RequestContext } from '../model.js';

/** One step of a role: tool calls to make, given what the earlier steps' tools returned. */
export type RoleStep = (state: RoleState) => ToolCall[];

export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
}

export interface RoleState {
  request: ModelRequest;
  /** Tool results of the previous turn, by tool name, in call order. */
  lastResults: Array<{ name: string; input: unknown; content: string; isError: boolean }>;
}

/** A role is a fixed sequence of steps; the last one must call `finish`. */
export interface Role {
  steps: RoleStep[];
}

/**
 * The roles the offline model plays, handed to it by the workflow's kind (see src/kinds/):
 * the role for one request, or undefined for the generic "not done" role.
 */
export type OfflineRoles = (context: RequestContext) => Role | undefined;

/** Pairs the model's last tool calls with the results the engine sent back. */
export function lastResults(request: ModelRequest): RoleState['lastResults'] {
  const messages = request.messages;
  const last = messages[messages.length - 1];
  const previous = messages[messages.length - 2];
  if (!last || !previous || previous.role !== 'assistant') return [];
  const calls = new Map(
    previous.content.filter((b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use').map((b) => [b.id, b]),
  );
  return last.content
    .filter((b): b is Extract<ContentBlock, { type: 'tool_result' }> => b.type === 'tool_result')
    .map((b) => ({ name: calls.get(b.toolUseId)?.name ?? '?', input: calls.get(b.toolUseId)?.input, content: b.content, isError: b.isError }));
}

export function write(path: string, content: string): ToolCall {
  return { name: 'write_file', input: { path, content } };
}

export function learn(insight: string, context: string, files: string[] = []): ToolCall {
  return { name: 'record_learning', input: { insight, context, files_affected: files } };
}

export function finish(result: Record<string, unknown>): ToolCall {
  return { name: 'finish', input: result };
}
