import { yaml } from '../runtime/lazy-modules.js';
import { renderTemplate } from '../engine/template.js';
import type { PlannedTask, RunPlan } from '../engine/plan.js';
import type { AgentDefinition } from '../schema/agent.js';
import type { ExpertiseContext } from '../providers/model.js';

const PROTOCOL = `## How you work in orchestrate
- You work through tools only. Read the repository with read_file, list_files and search.
- Write every artifact with write_file or edit_file. Writes go to the run's staging area for a
  person to review; nothing touches the repository until they apply the run.
- Paths under notes/ are run notes (plans, credential docs, reviews); they are not committed.
- Record what the team should remember next time with record_learning (never a secret).
- When the task is done, call finish exactly once with the structured result it asks for.`;

/** Caps the expertise excerpt so a large expertise file never crowds out the task. */
const MAX_EXPERTISE_CHARS = 12_000;

/**
 * The system prompt as two blocks, each the end of a cached prefix. First what every agent of the
 * run shares: the kind's briefing (the catalog's facts and the detected stack), the expertise
 * excerpt and the workflow context; then the agent's own prompt. Agents with the same tools read
 * the first from the cache whichever of them wrote it, and sibling tasks of one agent read both;
 * only the task's prompt (the first user turn) differs.
 */
export function buildSystem(agent: AgentDefinition, plan: RunPlan, expertise: ExpertiseContext, briefing = ''): string[] {
  const excerpt = yaml().stringify(expertise, { lineWidth: 0 });
  const shared = [
    ...(briefing ? [`## What orchestrate knows (from its catalog and the repository; facts marked UNVERIFIED need checking)\n${briefing}`] : []),
    `## Team expertise (from expertise.yaml; use it first, it is what worked before)\n${excerpt.length > MAX_EXPERTISE_CHARS ? `${excerpt.slice(0, MAX_EXPERTISE_CHARS)}\n(truncated)` : excerpt}`,
    `## This run\nWorkflow: ${plan.workflow}\nInputs:\n${yaml().stringify(plan.inputs)}${userIntent(plan.inputs)}`,
  ];
  return [shared.join('\n\n'), `${agent.systemPrompt}\n\n${PROTOCOL}`];
}

/**
 * The task's user message: its rendered prompt, the results of the tasks it needs, and what a
 * person decided at the run's approvals (`approvals`, a prompt section, empty when none).
 */
export function buildTaskPrompt(task: PlannedTask, plan: RunPlan, needs: Record<string, unknown>, approvals = ''): string {
  const body = renderTemplate(task.promptTemplate, { inputs: plan.inputs, needs });
  const context = Object.entries(needs)
    .map(([id, result]) => `### ${id}\n${yaml().stringify(result, { lineWidth: 0 })}`)
    .join('\n');
  const withNeeds = context ? `${body}\n\n## Results of the tasks this one builds on\n${context}` : body;
  return approvals ? `${withNeeds}\n\n${approvals}` : withNeeds;
}

/** The purpose words and `--config` options of the CLI, stated so every agent acts on them. */
function userIntent(inputs: RunPlan['inputs']): string {
  const lines = [];
  if (typeof inputs.purpose === 'string') lines.push(`Purpose, in the user's words: ${inputs.purpose}. Shape what you write to serve it.`);
  if (typeof inputs.config === 'string') lines.push(`Options of the integration itself, set by the user: ${inputs.config}. Use them in the code, configuration and docs.`);
  return lines.length ? `\n${lines.join('\n')}` : '';
}
