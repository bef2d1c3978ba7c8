import type { ValidationProblem } from '../errors.js';
import { isResultSchemaName } from '../schema/results.js';
import type { Workflow } from '../schema/workflow.js';
import { templateReferences } from './template.js';

/** Each task's needs, with the default (every task of the previous phase) filled in. */
export function resolveNeeds(workflow: Workflow): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  let previous: string[] = [];
  for (const phase of workflow.phases) {
    for (const task of phase.tasks) needs.set(task.id, task.needs ?? previous);
    previous = phase.tasks.map((task) => task.id);
  }
  return needs;
}

/**
 * Checks the graph of a schema-valid workflow: duplicate ids, unknown agents, needs and
 * result schemas, template references and cycles. Returns every problem, not only the first.
 */
export function validateWorkflowGraph(
  workflow: Workflow,
  file: string,
  knownAgents: ReadonlySet<string>,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const at = (location: string, message: string) => problems.push({ file, location, message });
  const taskIds = new Set<string>();
  const phaseIds = new Set<string>();

  workflow.phases.forEach((phase, p) => {
    if (phaseIds.has(phase.id)) at(`phases[${p}].id`, `duplicate phase id "${phase.id}"`);
    phaseIds.add(phase.id);
    phase.tasks.forEach((task, t) => {
      if (taskIds.has(task.id)) at(`phases[${p}].tasks[${t}].id`, `duplicate task id "${task.id}"`);
      taskIds.add(task.id);
    });
  });

  const needs = resolveNeeds(workflow);
  workflow.phases.forEach((phase, p) => {
    phase.tasks.forEach((task, t) => {
      const where = `phases[${p}].tasks[${t}]`;
      if (!knownAgents.has(task.agent)) {
        at(`${where}.agent`, `unknown agent "${task.agent}"; add agents/${task.agent}.md or use one of: ${[...knownAgents].sort().join(', ')}`);
      }
      if (!isResultSchemaName(task.result)) at(`${where}.result`, `unknown result schema "${task.result}"`);
      const own = needs.get(task.id) ?? [];
      for (const need of own) {
        if (!taskIds.has(need)) at(`${where}.needs`, `task "${task.id}" needs unknown task "${need}"`);
        if (need === task.id) at(`${where}.needs`, `task "${task.id}" needs itself`);
      }
      for (const ref of templateReferences(task.prompt)) {
        if (ref[0] === 'inputs' && ref[1] !== undefined && !Object.hasOwn(workflow.inputs, ref[1])) {
          at(`${where}.prompt`, `template refers to undeclared input "${ref[1]}"`);
        } else if (ref[0] === 'needs' && ref[1] !== undefined && !own.includes(ref[1])) {
          at(`${where}.prompt`, `template refers to "${ref[1]}", which is not among the task's needs`);
        } else if (ref[0] !== 'inputs' && ref[0] !== 'needs') {
          at(`${where}.prompt`, `template refers to "${ref.join('.')}"; use inputs.<name> or needs.<task>`);
        }
      }
    });
  });

  const cycle = findCycle(needs);
  if (cycle) at('phases', `the tasks form a cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** Returns one cycle as a list of task ids (first repeated last), or undefined. */
export function findCycle(needs: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const seen = state.get(id);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const need of needs.get(id) ?? []) {
      if (!needs.has(need)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of needs.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
