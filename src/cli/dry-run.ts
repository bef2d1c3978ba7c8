import path from 'node:path';
import { loadAgents } from '../agents/load.js';
import { buildSystem, buildTaskPrompt } from '../agents/prompt.js';
import { planRun } from '../engine/plan.js';
import { prepareKind } from '../kinds/registry.js';
import { resolveModelId } from '../providers/model-aliases.js';
import { expertiseContext } from '../expertise/context.js';
import { loadExpertise } from '../expertise/store.js';
import { loadWorkflow, workflowDirs } from '../run/load-workflow.js';
import { PACKAGE_ROOT } from '../runtime/runtime.js';
import { estimateCost, ASSUMED_OUTPUT_TOKENS_PER_TURN, ASSUMED_TURNS, CHARS_PER_TOKEN } from './estimate.js';
import { formatCost, formatTokens } from './format.js';
import type { CliRunOptions, RunFlags } from './invoke.js';
import type { CliIO } from './io.js';
import { origin } from './workspace-dirs.js';

export interface DryRunTask {
  id: string;
  phase: string;
  agent: string;
  model: string;
  needs: string[];
  systemChars: number;
  promptChars: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
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
  estimate: { inputTokens: number; outputTokens: number; costUsd: number; assumptions: string };
}

/**
 * Plans a run the way runWorkflow does (same loaders, planner and prompt builders) and
 * estimates it, without writing anything: no run folder, no expertise file, no model call.
 */
export async function planDryRun(options: CliRunOptions): Promise<DryRunPlan> {
  const workspace = path.resolve(options.cwd ?? process.cwd());
  const env = options.runtime?.env ?? process.env;
  const { workflow, file } = await loadWorkflow(options.workflow, workflowDirs(workspace, PACKAGE_ROOT));
  const agents = await loadAgents([path.join(workspace, 'agents'), path.join(workspace, '.claude', 'agents'), path.join(PACKAGE_ROOT, 'agents')]);
  const plan = planRun({ workflow, workflowFile: file, inputs: options.inputs ?? {}, agents });
  const provider = options.provider ?? (env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  const service = prepareKind(plan.kind, plan.inputs, { offline: provider === 'offline' }).subject;
  const expertise = plan.domains[0] ? await loadExpertise(workspace, PACKAGE_ROOT, plan.domains[0]) : undefined;
  const context = expertiseContext(expertise?.data, service);
  const override = options.model ?? env.ORCHESTRATE_MODEL;

  const tasks = plan.tasks.map((task): DryRunTask => {
    const agent = agents.get(task.agent)!;
    const system = buildSystem(agent, plan, context);
    const prompt = buildTaskPrompt(task, plan, {});
    const systemChars = system.reduce((n, block) => n + block.length, 0);
    const model = provider === 'offline' ? 'offline' : resolveModelId(agent.model, override);
    const turns = Math.min(ASSUMED_TURNS, agent.maxTurns);
    // Each turn resends the prompt and the conversation so far; count the prompt once per turn.
    const inputTokens = Math.ceil(((systemChars + prompt.length) / CHARS_PER_TOKEN) * turns);
    const outputTokens = ASSUMED_OUTPUT_TOKENS_PER_TURN * turns;
    return {
      id: task.id,
      phase: task.phase,
      agent: task.agent,
      model,
      needs: task.needs,
      systemChars,
      promptChars: prompt.length,
      inputTokens,
      outputTokens,
      costUsd: estimateCost(model, inputTokens, outputTokens),
      system,
      prompt,
    };
  });
  const sum = (pick: (t: DryRunTask) => number) => tasks.reduce((n, t) => n + pick(t), 0);
  return {
    workflow: plan.workflow,
    file,
    provider,
    inputs: plan.inputs,
    tasks,
    estimate: {
      inputTokens: sum((t) => t.inputTokens),
      outputTokens: sum((t) => t.outputTokens),
      costUsd: sum((t) => t.costUsd),
      assumptions: `${ASSUMED_TURNS} turns per task, ${ASSUMED_OUTPUT_TOKENS_PER_TURN} output tokens per turn, ${CHARS_PER_TOKEN} characters per token, no cache hits${provider === 'offline' ? '; the offline model costs nothing' : ''}`,
    },
  };
}

/** `--dry-run`: prints the plan and the estimate; writes nothing. Exit 0. */
export async function printDryRun(options: CliRunOptions, flags: RunFlags, io: CliIO): Promise<number> {
  const plan = await planDryRun(options);
  if (flags.json) {
    io.out(JSON.stringify({ type: 'plan', ...plan, tasks: plan.tasks.map(({ system: _s, prompt: _p, ...task }) => task) }));
    return 0;
  }
  const inputs = Object.entries(plan.inputs).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'none';
  io.out(`Dry run of workflow ${plan.workflow} (${origin(plan.file, path.resolve(options.cwd ?? io.cwd))}): nothing is run or written.`);
  io.out(`Provider: ${plan.provider}   Inputs: ${inputs}`);
  let phase = '';
  const idWidth = Math.max(...plan.tasks.map((t) => t.id.length));
  const agentWidth = Math.max(...plan.tasks.map((t) => t.agent.length));
  for (const task of plan.tasks) {
    if (task.phase !== phase) io.out(`\nphase ${(phase = task.phase)}`);
    io.out(
      `  ${task.id.padEnd(idWidth)}  ${task.agent.padEnd(agentWidth)}  ${task.model.padEnd(8)}  prompt ${(task.systemChars + task.promptChars).toLocaleString('en-US')} chars  ` +
        `~${formatTokens(task.inputTokens + task.outputTokens)}  ~${formatCost(task.costUsd)}${task.needs.length ? `  needs ${task.needs.join(', ')}` : ''}`,
    );
    if (flags.verbose) io.out(`\n--- system ---\n${task.system.join('\n\n')}\n--- prompt ---\n${task.prompt}\n`);
  }
  const e = plan.estimate;
  io.out(`\nEstimate: ${plan.tasks.length} tasks, ~${formatTokens(e.inputTokens)} in, ~${formatTokens(e.outputTokens)} out, ~${formatCost(e.costUsd)}`);
  io.out(`(assumes ${e.assumptions}; --verbose prints every prompt)`);
  return 0;
}
