import type { z } from 'zod';
import { errorInfo, ModelBehaviorError, OrchestrateError, TaskError } from '../errors.js';
import type { AgentDefinition } from '../schema/agent.js';
import { DEFAULT_LIMITS, type Limits } from '../schema/limits.js';
import { addUsage, emptyUsage, type Usage } from '../schema/usage.js';
import { CONTEXT_TOO_LONG, type ContentBlock, type Model, type ModelRequest, type ModelResponse, type RequestContext, type ResearchTools, type Source } from '../providers/model.js';
import { TOOLS, toolSpecs } from '../tools/registry.js';
import type { ToolContext } from '../tools/tool.js';
import { SecretInPathError } from '../tools/paths.js';
import { type Compaction, type ContextPolicy, Conversation } from './conversation.js';

/** How many invalid `finish` results go back to the model before the task fails. */
const MAX_INVALID_RESULTS = 3;
/** How many turns without any tool call the model is reminded to call `finish`. */
const MAX_NUDGES = 2;
/** The same failing call this many times stops the task. */
const LOOP_LIMIT = 3;

/** Output tokens per reply when the agent names no `maxTokens`: room for adaptive thinking and a large file. */
export const DEFAULT_MAX_TOKENS = 16_000;

export interface AgentLoopArgs {
  model: Model;
  agent: AgentDefinition;
  system: string[];
  prompt: string;
  resultSchema: z.ZodType;
  tools: ToolContext;
  request: RequestContext;
  /** Overrides the agent's `maxTokens`. */
  maxTokens?: number;
  /** The API's server-side web search and fetch, for a research task on a provider that has them. */
  research?: ResearchTools;
  /** When old tool results are cleared. @default DEFAULT_CONTEXT_POLICY */
  context?: ContextPolicy;
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
  /** Web pages the task's research found, fetched or cited (the API's server-side tools), each URL once. */
  sources: Source[];
}

/** A task error that still reports the usage and model spent before it failed. */
function failure(error: OrchestrateError, usage: Usage, model: string): OrchestrateError {
  return Object.assign(error, { usage, model });
}

type ToolUse = Extract<ContentBlock, { type: 'tool_use' }>;

/**
 * The model <-> tool loop: ask, run the requested tools, hand back their results, until the
 * agent calls `finish` with a result that validates against the task's result schema.
 * Replies that end early are recovered, not fatal: a reply cut at `max_tokens` is asked again
 * with a larger limit (up to the model's own), else kept without its cut-off tool call; a paused
 * turn is continued; a conversation too long for the window has its old tool results cleared.
 */
export async function runAgentLoop(args: AgentLoopArgs): Promise<AgentLoopResult> {
  const { model, agent, tools: context } = args;
  const specs = toolSpecs(agent.tools, args.resultSchema);
  const allowed = new Set(specs.map((spec) => spec.name));
  const conversation = new Conversation(args.prompt, args.context);
  const usage = emptyUsage();
  const failures = new Map<string, number>();
  const sources = new Map<string, Source>();
  const ceiling = model.limits?.maxOutputTokens;
  const window = model.limits?.contextWindow;
  let maxTokens = Math.min(args.maxTokens ?? agent.maxTokens ?? DEFAULT_MAX_TOKENS, ceiling ?? Number.MAX_SAFE_INTEGER);
  let modelId = model.modelId;
  let invalidResults = 0;
  let nudges = 0;
  let toolCalls = 0;
  const perReply = args.limits?.toolCallsPerReply ?? DEFAULT_LIMITS.toolCallsPerReply;
  const perTask = args.limits?.toolCallsPerTask ?? DEFAULT_LIMITS.toolCallsPerTask;
  const base = () => ({ runId: context.runId, at: context.at(), task: context.task.id });
  const compacted = (reason: 'threshold' | 'window', done: Compaction | undefined) => {
    if (done?.cleared) context.emit({ type: 'context-compact', ...base(), reason, ...done });
    return done?.cleared ?? 0;
  };

  for (let turn = 1; turn <= agent.maxTurns; turn++) {
    context.signal.throwIfAborted();
    compacted('threshold', conversation.compactIfLarge());
    // The model's window (1M for a `[1m]` model) bounds the prompt: clear before asking rather than
    // after the API refuses it. The estimate is the conversation's; the reply's room is kept free.
    if (window !== undefined && conversation.tokens() + maxTokens > window) compacted('window', conversation.compactForWindow());
    const request: ModelRequest = {
      system: args.system,
      messages: conversation.messages,
      tools: specs,
      maxTokens,
      ...(agent.effort ? { effort: agent.effort } : {}),
      ...(args.research ? { research: args.research } : {}),
      context: args.request,
    };
    let response: ModelResponse;
    try {
      response = await model.generate(request, {
        signal: context.signal,
        onRetry: (notice) => context.emit({ type: 'model-retry', ...base(), ...notice }),
      });
    } catch (error) {
      // The prompt outgrew the window: clear old tool results and ask again, while there are any.
      if (error instanceof OrchestrateError && error.code === CONTEXT_TOO_LONG && compacted('window', conversation.compactForWindow()) > 0) continue;
      throw error instanceof OrchestrateError ? failure(error, usage, modelId) : Object.assign(error as object, { usage, model: modelId });
    }
    addUsage(usage, { ...response.usage, turns: 1 });
    try {
      args.onUsage?.({ ...response.usage, turns: 1 });
    } catch (error) {
      throw Object.assign(error as object, { usage, model: response.model });
    }
    modelId = response.model;
    for (const source of response.sources ?? []) {
      const known = sources.get(source.url);
      sources.set(source.url, known ? { ...source, ...known, ...(known.cited ? {} : source.cited ? { cited: source.cited } : {}) } : source);
    }

    if (response.stopReason === 'refusal') {
      const said = response.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join(' ').trim();
      throw failure(
        new ModelBehaviorError('REFUSED', `agent "${agent.name}" was refused by ${modelId}${said ? ` ("${said.slice(0, 200)}")` : ''}; reword the task's prompt or run the agent on another model`),
        usage,
        modelId,
      );
    }
    if (response.stopReason === 'pause_turn') {
      // A server tool paused a long turn: the turn goes back as it is, and the model goes on.
      conversation.addAssistant(response);
      context.emit({ type: 'reply-recover', ...base(), reason: 'pause-continued', detail: 'the API paused the turn; it was sent back to continue' });
      continue;
    }
    const cutOff = response.stopReason === 'max_tokens' || response.stopReason === 'model_context_window_exceeded';
    if (response.stopReason === 'max_tokens' && ceiling !== undefined && maxTokens < ceiling) {
      // Cut at the output limit: ask the same question again with room to answer (its cost is counted, and budgets still hold).
      const raised = Math.min(maxTokens * 2, ceiling);
      context.emit({ type: 'reply-recover', ...base(), reason: 'max-tokens-raised', detail: `reply cut at ${maxTokens} output tokens; asked again with ${raised}` });
      maxTokens = raised;
      continue;
    }
    const last = response.content.at(-1);
    const cut = cutOff && last?.type === 'tool_use' ? last : undefined;
    conversation.addAssistant(cut ? withoutCall(response, cut) : response);
    if (response.stopReason === 'model_context_window_exceeded') compacted('window', conversation.compactForWindow());
    const cutNote = cutOff
      ? `Your last reply was cut off at the ${response.stopReason === 'max_tokens' ? `output limit (${maxTokens} tokens)` : 'context window'}${cut ? `; its ${cut.name} call was incomplete and was not run` : ''}. Continue in smaller steps: write large files in parts with edit_file.`
      : undefined;
    if (cut) context.emit({ type: 'reply-recover', ...base(), reason: 'tool-call-cut', detail: `the cut-off ${cut.name} call was dropped; the agent was told to continue in smaller steps` });

    const calls = response.content.filter((block): block is ToolUse => block.type === 'tool_use' && block !== cut);
    if (calls.length > perReply) {
      context.emit({ type: 'tool-call', runId: context.runId, at: context.at(), task: context.task.id, tool: '(over the cap)', ok: false, detail: `${calls.length - perReply} of ${calls.length} tool calls in one reply not run (limits.toolCallsPerReply ${perReply})` });
    }
    if (calls.length === 0) {
      if (!cutNote && ++nudges > MAX_NUDGES) {
        throw failure(new ModelBehaviorError('NO_FINISH', `agent "${agent.name}" stopped without calling finish`), usage, modelId);
      }
      conversation.addUser([{ type: 'text', text: cutNote ?? 'Continue with tool calls, and call finish with the result when the task is done.' }]);
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
      const text = outcome.ok ? conversation.resultText(call, outcome.text) : outcome.text;
      results.push({ type: 'tool_result', toolUseId: call.id, content: text, isError: !outcome.ok });
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
    if (finished) return { result: finished.result, usage, model: modelId, sources: [...sources.values()] };
    conversation.addUser(cutNote ? [...results, { type: 'text', text: cutNote }] : results);
  }
  throw failure(new TaskError('MAX_TURNS', `agent "${agent.name}" used its ${agent.maxTurns} turns without finishing`), usage, modelId);
}

/** A reply without its cut-off tool call, in both its neutral and its raw blocks. */
function withoutCall(response: ModelResponse, cut: ToolUse): Pick<ModelResponse, 'content' | 'raw'> {
  const content = response.content.filter((block) => block !== cut);
  const raw = response.raw?.filter((block) => (block as { id?: unknown }).id !== cut.id);
  return { content, ...(raw ? { raw } : {}) };
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
