import type { z } from 'zod';
import { errorInfo, ModelBehaviorError, OrchestrateError, TaskError } from '../errors.js';
import type { AgentDefinition } from '../schema/agent.js';
import { DEFAULT_LIMITS, type Limits } from '../schema/limits.js';
import { addUsage, emptyUsage, type Usage } from '../schema/usage.js';
import type { ContentBlock, Message, Model, ModelRequest, RequestContext } from '../providers/model.js';
import { TOOLS, toolSpecs } from '../tools/registry.js';
import type { ToolContext } from '../tools/tool.js';
import { SecretInPathError } from '../tools/paths.js';

/** How many invalid `finish` results go back to the model before the task fails. */
const MAX_INVALID_RESULTS = 3;
/** How many turns without any tool call the model is reminded to call `finish`. */
const MAX_NUDGES = 2;
/** The same failing call this many times stops the task. */
const LOOP_LIMIT = 3;

export interface AgentLoopArgs {
  model: Model;
  agent: AgentDefinition;
  system: string[];
  prompt: string;
  resultSchema: z.ZodType;
  tools: ToolContext;
  request: RequestContext;
  maxTokens?: number;
  /**
   * Called with each model call's usage as it is counted. The engine enforces budgets here:
   * it throws `BUDGET_EXCEEDED` when a task, phase or run budget is crossed, which stops the task.
   */
  onUsage?: (usage: Usage) => void;
  /** Tool calls run per reply and per task. @default DEFAULT_LIMITS */
  limits?: Pick<Limits, 'toolCallsPerReply' | 'toolCallsPerTask'>;
}

export interface AgentLoopResult {
  result: unknown;
  usage: Usage;
  model: string;
}

/** A task error that still reports the usage and model spent before it failed. */
function failure(error: OrchestrateError, usage: Usage, model: string): OrchestrateError {
  return Object.assign(error, { usage, model });
}

/**
 * The model <-> tool loop: ask, run the requested tools, hand back their results, until the
 * agent calls `finish` with a result that validates against the task's result schema.
 */
export async function runAgentLoop(args: AgentLoopArgs): Promise<AgentLoopResult> {
  const { model, agent, tools: context } = args;
  const specs = toolSpecs(agent.tools, args.resultSchema);
  const allowed = new Set(specs.map((spec) => spec.name));
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: args.prompt }] }];
  const usage = emptyUsage();
  const failures = new Map<string, number>();
  let modelId = model.modelId;
  let invalidResults = 0;
  let nudges = 0;
  let toolCalls = 0;
  const perReply = args.limits?.toolCallsPerReply ?? DEFAULT_LIMITS.toolCallsPerReply;
  const perTask = args.limits?.toolCallsPerTask ?? DEFAULT_LIMITS.toolCallsPerTask;

  for (let turn = 1; turn <= agent.maxTurns; turn++) {
    context.signal.throwIfAborted();
    const request: ModelRequest = { system: args.system, messages, tools: specs, maxTokens: args.maxTokens ?? 8192, context: args.request };
    const response = await model.generate(request, { signal: context.signal }).catch((error: unknown) => {
      throw error instanceof OrchestrateError ? failure(error, usage, modelId) : Object.assign(error as object, { usage, model: modelId });
    });
    addUsage(usage, { ...response.usage, turns: 1 });
    try {
      args.onUsage?.({ ...response.usage, turns: 1 });
    } catch (error) {
      throw Object.assign(error as object, { usage, model: response.model });
    }
    modelId = response.model;
    messages.push({ role: 'assistant', content: response.content });

    // A reply cut off at the token limit may hold a half-written tool call: it is not run.
    if (response.stopReason === 'max_tokens') {
      throw failure(
        new ModelBehaviorError('MAX_TOKENS', `agent "${agent.name}" hit the token limit (${request.maxTokens} output tokens, or the context window) before calling finish`),
        usage,
        modelId,
      );
    }
    if (response.stopReason === 'refusal') {
      throw failure(new ModelBehaviorError('REFUSED', `agent "${agent.name}" refused the task`), usage, modelId);
    }
    const calls = response.content.filter((block) => block.type === 'tool_use');
    if (calls.length > perReply) {
      context.emit({ type: 'tool-call', runId: context.runId, at: context.at(), task: context.task.id, tool: '(over the cap)', ok: false, detail: `${calls.length - perReply} of ${calls.length} tool calls in one reply not run (limits.toolCallsPerReply ${perReply})` });
    }
    if (calls.length === 0) {
      if (++nudges > MAX_NUDGES) {
        throw failure(new ModelBehaviorError('NO_FINISH', `agent "${agent.name}" stopped without calling finish`), usage, modelId);
      }
      messages.push({ role: 'user', content: [{ type: 'text', text: 'Continue with tool calls, and call finish with the result when the task is done.' }] });
      continue;
    }

    const results: ContentBlock[] = [];
    let finished: { result: unknown } | undefined;
    for (const [index, call] of calls.entries()) {
      // Past the cap a call is answered, not run: every tool call needs its result.
      if (index >= perReply) {
        results.push({ type: 'tool_result', toolUseId: call.id, content: `not run: at most ${perReply} tool calls are run from one reply`, isError: true });
        continue;
      }
      if (++toolCalls > perTask) {
        throw failure(new ModelBehaviorError('TOOL_CALL_LIMIT', `agent "${agent.name}" made more than ${perTask} tool calls in one task (limits.toolCallsPerTask)`), usage, modelId);
      }
      const outcome = await runCall(call, allowed, args, context);
      results.push({ type: 'tool_result', toolUseId: call.id, content: outcome.text, isError: !outcome.ok });
      context.emit({ type: 'tool-call', runId: context.runId, at: context.at(), task: context.task.id, tool: call.name, ok: outcome.ok, detail: outcome.detail });
      if (call.name === 'finish') {
        if (outcome.ok) finished = { result: outcome.result };
        else if (++invalidResults >= MAX_INVALID_RESULTS) {
          throw failure(new ModelBehaviorError('INVALID_RESULT', `agent "${agent.name}" gave ${invalidResults} invalid results: ${outcome.text}`), usage, modelId);
        }
      } else if (!outcome.ok) {
        const key = `${call.name}:${JSON.stringify(call.input)}`;
        const count = (failures.get(key) ?? 0) + 1;
        failures.set(key, count);
        if (count >= LOOP_LIMIT) {
          throw failure(new ModelBehaviorError('LOOP_DETECTED', `agent "${agent.name}" repeated the same failing ${call.name} call ${count} times: ${outcome.text}`), usage, modelId);
        }
      }
    }
    if (finished) return { result: finished.result, usage, model: modelId };
    messages.push({ role: 'user', content: results });
  }
  throw failure(new TaskError('MAX_TURNS', `agent "${agent.name}" used its ${agent.maxTurns} turns without finishing`), usage, modelId);
}

interface CallOutcome {
  ok: boolean;
  text: string;
  detail: string;
  result?: unknown;
}

async function runCall(
  call: Extract<ContentBlock, { type: 'tool_use' }>,
  allowed: ReadonlySet<string>,
  args: AgentLoopArgs,
  context: ToolContext,
): Promise<CallOutcome> {
  if (!allowed.has(call.name)) {
    return { ok: false, text: `unknown tool "${call.name}"; available: ${[...allowed].join(', ')}`, detail: 'unknown tool' };
  }
  if (call.name === 'finish') {
    const parsed = args.resultSchema.safeParse(call.input);
    if (parsed.success) return { ok: true, text: 'result accepted', detail: 'result accepted', result: parsed.data };
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    return { ok: false, text: `invalid result: ${problems}`, detail: 'invalid result' };
  }
  const tool = TOOLS[call.name as keyof typeof TOOLS]!;
  const parsed = tool.input.safeParse(call.input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    return { ok: false, text: `invalid input for ${call.name}: ${problems}`, detail: 'invalid input' };
  }
  const detail = tool.describe(parsed.data);
  try {
    return { ok: true, text: await tool.run(parsed.data, context), detail };
  } catch (error) {
    if (context.signal.aborted) throw error;
    // A path refused for holding a secret is not repeated in the journal.
    return { ok: false, text: errorInfo(error).message, detail: error instanceof SecretInPathError ? 'path refused: it holds a secret' : detail };
  }
}
