import path from 'node:path';
import { planDryRun } from '../index.js';
import { formatCost, formatTokens } from './format.js';
import type { CliRunOptions, RunFlags } from './invoke.js';
import type { CliIO } from './io.js';
import { origin } from './workspace-dirs.js';

/** `--dry-run`: prints the plan and the estimate; writes nothing. Exit 0. */
export async function printDryRun(options: CliRunOptions, flags: RunFlags, io: CliIO): Promise<number> {
  const plan = await planDryRun(options);
  for (const warning of plan.warnings) io.err(`warning: ${warning}`);
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
        `~${formatTokens(task.inputTokens + task.outputTokens)}  ${task.costUsd === null ? 'price unknown' : `~${formatCost(task.costUsd)}`}${task.needs.length ? `  needs ${task.needs.join(', ')}` : ''}`,
    );
    if (flags.verbose) io.out(`\n--- system ---\n${task.system.join('\n\n')}\n--- prompt ---\n${task.prompt}\n`);
  }
  const e = plan.estimate;
  const priced = plan.tasks.some((t) => t.costUsd !== null);
  const cost = !e.unpricedModels.length
    ? `~${formatCost(e.costUsd)}`
    : `${priced ? `~${formatCost(e.costUsd)} for the priced tasks, ` : 'cost unknown: '}no price known for ${e.unpricedModels.join(', ')}`;
  const cached = e.cacheReadTokens + e.cacheWriteTokens ? ` (~${formatTokens(e.cacheReadTokens)} cache reads, ~${formatTokens(e.cacheWriteTokens)} cache writes)` : '';
  io.out(`\nEstimate: ${plan.tasks.length} tasks, ~${formatTokens(e.inputTokens)} in${cached}, ~${formatTokens(e.outputTokens)} out, ${cost}`);
  io.out(`(assumes ${e.assumptions}; --verbose prints every prompt)`);
  return 0;
}
