import type { ValidationProblem } from '../errors.js';
import { formatPath } from '../schema/problems.js';
import { defaultNeeds, findCycle, workflowStructureIssues } from '../schema/workflow-checks.js';
import type { ResultSchemas } from '../schema/results.js';
import type { Workflow } from '../schema/workflow.js';
import { templateReferences } from './template.js';

export { findCycle };

/** Each task's needs, with the default (every task of the previous phase) filled in. */
export function resolveNeeds(workflow: Workflow): Map<string, string[]> {
  return defaultNeeds(workflow.phases);
}

/**
 * Checks a schema-valid workflow against what the run has: the structure (duplicate ids,
 * unknown needs, cycles, gates, retry intervals), unknown agents and functions, and template
 * references. Returns every problem, not only the first.
 */
export function validateWorkflowGraph(
  workflow: Workflow,
  file: string,
  knownAgents: ReadonlySet<string>,
  knownFunctions: ReadonlySet<string> = new Set(),
  /** Agents whose files were skipped because they do not load: name -> why. */
  unloadableAgents: ReadonlyMap<string, string> = new Map(),
  /** The result schemas its tasks may name: the generic ones and its kind's. Without them, a name only a kind knows is not checked here. */
  resultSchemas?: ResultSchemas,
): ValidationProblem[] {
  const problems: ValidationProblem[] = workflowStructureIssues(workflow, resultSchemas).map((issue) => ({
    file,
    location: formatPath(issue.path),
    message: issue.message,
  }));
  const at = (location: string, message: string) => problems.push({ file, location, message });

  const needs = resolveNeeds(workflow);
  workflow.phases.forEach((phase, p) => {
    phase.tasks.forEach((task, t) => {
      const where = `phases[${p}].tasks[${t}]`;
      const unloadable = task.agent === undefined || knownAgents.has(task.agent) ? undefined : unloadableAgents.get(task.agent);
      if (unloadable !== undefined) {
        at(`${where}.agent`, `agent "${task.agent}" could not be loaded: ${unloadable}`);
      } else if (task.agent !== undefined && !knownAgents.has(task.agent)) {
        at(`${where}.agent`, `unknown agent "${task.agent}"; add agents/${task.agent}.md or use one of: ${[...knownAgents].sort().join(', ')}`);
      }
      if (task.function !== undefined && !knownFunctions.has(task.function)) {
        const known = [...knownFunctions].sort().join(', ') || 'none were given';
        at(`${where}.function`, `unknown function "${task.function}"; pass it in runWorkflow({ functions }) (known: ${known})`);
      }
      const own = needs.get(task.id) ?? [];
      for (const ref of templateReferences(task.prompt ?? '')) {
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
  return problems;
}
