import path from 'node:path';
import { buildSystem, buildTaskPrompt } from '../agents/prompt.js';
import { withUserPrice } from '../providers/select.js';
import { PACKAGE_ROOT } from '../runtime/runtime.js';
import { estimateCost, estimateTokens, ASSUMED_OUTPUT_TOKENS_PER_TURN, ASSUMED_TURNS, CHARS_PER_TOKEN } from './estimate.js';
import { prepareRun } from './prepare-run.js';
import type { RunWorkflowOptions } from './run-workflow.js';

export interface DryRunTask {
  id: string;
  phase: string;
  agent: string;
  model: string;
  needs: string[];
  systemChars: number;
  promptChars: number;
  /** Every input token, cached or not. */
  inputTokens: number;
  /** Of `inputTokens`, those read from and written to the prompt cache. */
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** null when the price table does not know the model. */
  costUsd: number | null;
  /** The rendered system prompt blocks and task prompt (before needed results are known). */
  system: string[];
  prompt: string;
}

export interface DryRunPlan {
  workflow: string;
  file: string;
  provider: string;
  inputs: Record<string, unknown>;
  tasks: DryRunTask[];
  /** Skipped agent files, shadowed agents, tools left out. */
  warnings: string[];
  /** `costUsd` counts the priced tasks only; `unpricedModels` are the models the price table does not know. */
  estimate: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; outputTokens: number; costUsd: number; unpricedModels: string[]; assumptions: string };
}

/**
 * Plans a run the way runWorkflow does (same loaders, planner and prompt builders) and
 * estimates it, without writing anything: no run folder, no expertise file, no model call.
 */
export async function planDryRun(options: RunWorkflowOptions): Promise<DryRunPlan> {
  const workspace = path.resolve(options.cwd ?? process.cwd());
  const env = options.runtime?.env ?? process.env;
  const prepared = await prepareRun({
    workflow: options.workflow,
    inputs: options.inputs ?? {},
    workspace,
    runtime: { env, packageRoot: options.runtime?.packageRoot ?? PACKAGE_ROOT },
    provider: options.provider,
    providers: options.providers,
    budget: options.budget,
  });
  const { plan, provider, providerDefinition, context, file } = prepared;
  const prices = providerDefinition.prices ? withUserPrice(providerDefinition.prices, options.price) : undefined;
  const override = options.model ?? env.ORCHESTRATE_MODEL;
  // What a Claude run's prompts hold: the kind's briefing too (the offline model goes without it).
  const briefing = providerDefinition.playsKindRoles ? '' : await prepared.kind.briefing(workspace);
  const cache = env.ORCHESTRATE_PROMPT_CACHE !== 'off';

  const tasks = plan.tasks.map((task): DryRunTask => {
    const agent = prepared.agents.get(task.agent);
    const system = agent ? buildSystem(agent, plan, context, briefing) : [];
    const prompt = buildTaskPrompt(task, plan, {});
    const systemChars = system.reduce((n, block) => n + block.length, 0);
    const model = !agent ? 'function' : (providerDefinition.modelId?.(agent.model, override) ?? provider);
    const turns = agent ? Math.min(ASSUMED_TURNS, agent.maxTurns) : 0;
    // Each turn resends the prompt and the conversation so far; count the prompt once per turn.
    const free = !agent || !prices;
    const price = prices?.(model);
    const tokens = estimateTokens(price, Math.ceil((systemChars + prompt.length) / CHARS_PER_TOKEN), turns, cache && !free);
    const { outputTokens, cacheReadTokens, cacheWriteTokens } = tokens;
    const inputTokens = tokens.inputTokens + cacheReadTokens + cacheWriteTokens;
    return {
      id: task.id,
      phase: task.phase,
      agent: task.agent,
      model,
      needs: task.needs,
      systemChars,
      promptChars: prompt.length,
      inputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      outputTokens,
      costUsd: free ? 0 : estimateCost(model, price, tokens),
      system,
      prompt,
    };
  });
  const sum = (pick: (t: DryRunTask) => number) => tasks.reduce((n, t) => n + pick(t), 0);
  const unpriced = [...new Set(tasks.filter((t) => t.costUsd === null).map((t) => t.model))];
  return {
    workflow: plan.workflow,
    file,
    provider,
    inputs: plan.inputs,
    tasks,
    warnings: prepared.warnings,
    estimate: {
      inputTokens: sum((t) => t.inputTokens),
      cacheReadTokens: sum((t) => t.cacheReadTokens),
      cacheWriteTokens: sum((t) => t.cacheWriteTokens),
      outputTokens: sum((t) => t.outputTokens),
      costUsd: sum((t) => t.costUsd ?? 0),
      unpricedModels: unpriced,
      assumptions: `${ASSUMED_TURNS} turns per task, ${ASSUMED_OUTPUT_TOKENS_PER_TURN} output tokens per turn, ${CHARS_PER_TOKEN} characters per token, ${
        !prices
          ? `the ${provider} model costs nothing`
          : cache
            ? "prompt caching on: each task's first turn writes its prompt to the cache at the cache-write price and later turns read it at the cache-read price (a prompt under the model's minimum cacheable length is priced as input)"
            : 'prompt caching off (ORCHESTRATE_PROMPT_CACHE=off): every input token at the input price'
      }`,
    },
  };
}
