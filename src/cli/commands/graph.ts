import { formatProblem, PACKAGE_ROOT, prepareWorkflow, resolveNeeds, UserError, workflowProblems, type Workflow } from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';

const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^a-zA-Z0-9]/g, '_')}`;
const label = (text: string) => text.replace(/"/g, '#quot;');

/** The workflow as a Mermaid flowchart: a subgraph per phase, an edge per need. */
export function mermaid(workflow: Workflow): string {
  const lines = ['flowchart TD'];
  for (const phase of workflow.phases) {
    lines.push(`  subgraph ${id('p', phase.id)}["${label(phase.name)}"]`);
    for (const task of phase.tasks) lines.push(`    ${id('t', task.id)}["${label(task.id)}<br/><small>${label(task.agent ?? `function ${task.function ?? ''}`)}</small>"]`);
    lines.push('  end');
  }
  for (const [task, needs] of resolveNeeds(workflow)) {
    for (const need of needs) lines.push(`  ${id('t', need)} --> ${id('t', task)}`);
  }
  return lines.join('\n');
}

export const command: Command = {
  summary: "Print a workflow's task graph as Mermaid",
  usage: `Usage: orchestrate graph <workflow> [options]

Prints the workflow's tasks as a Mermaid flowchart: one box per phase, one node per task
(with its agent), one arrow per dependency. Paste it into a Markdown file on GitHub, or
https://mermaid.live, to see it.

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate graph integrate
  orchestrate graph ./workflows/my-flow.yaml > flow.mmd`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('graph', argv, COMMON_OPTIONS);
    const [name, ...extra] = positionals;
    noExtra(extra, 'graph');
    if (!name) throw new UserError('MISSING_WORKFLOW', 'name the workflow: orchestrate graph <workflow> (list them with orchestrate workflows)');
    // Prepared as a run prepares it: the same workflow lookup and agents, so what it draws is what would run.
    const prepared = await prepareWorkflow({ workflow: name, workspace: workspaceOf(io, values.cwd), runtime: { env: io.env, packageRoot: PACKAGE_ROOT } });
    for (const problem of workflowProblems(prepared)) io.err(`warning: ${formatProblem(problem)}`);
    const { workflow } = prepared;
    if (values.json) io.out(JSON.stringify({ workflow: workflow.name, mermaid: mermaid(workflow), needs: Object.fromEntries(resolveNeeds(workflow)) }));
    else io.out(mermaid(workflow));
    return 0;
  },
};
