import { ValidationError, type ValidationProblem } from '../errors.js';
import type { AgentDefinition } from '../schema/agent.js';
import { durationToMs } from '../schema/duration.js';
import type { ResultSchemas } from '../schema/results.js';
import type { Approval, Budget, FailurePolicy, Workflow } from '../schema/workflow.js';
import { gateTasks, type PlannedGate } from './gate.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy } from './retry-policy.js';
import { resolveNeeds, validateWorkflowGraph } from './validate.js';
import { DEFAULT_AGENT_TASK_TIMEOUT, type Limits } from '../schema/limits.js';

/** A task ready to execute: everything resolved, nothing left to look up. Plain JSON. */
export interface PlannedTask {
  id: string;
  /** Position in declaration order; results are applied in this order. */
  index: number;
  phase: string;
  /** An agent loop, or a TypeScript function given by name. */
  kind: 'agent' | 'function';
  /** The agent's name; `function:<name>` for a function task. */
  agent: string;
  /** The function's name, for a function task. */
  function?: string;
  needs: string[];
  /** Empty for a function task. */
  promptTemplate: string;
  /** The result schema; always set for agent tasks (default `summary`). */
  result?: string;
  /** Longest time one attempt may take. */
  timeoutMs?: number;
  retry: ResolvedRetryPolicy;
  budget?: Budget;
}

export interface PlannedPhase {
  id: string;
  name: string;
  taskIds: string[];
  gate?: PlannedGate;
  /** A person approves the phase's results before any later phase starts. */
  approval?: PlannedApproval;
  budget?: Budget;
}

/** A phase's approval, resolved: the question and the note or file to show with it. */
export interface PlannedApproval {
  message: string;
  show?: string;
}

export interface RunPlan {
  workflow: string;
  /** The workflow's kind (`kind:` in its file), when it names one. */
  kind?: string;
  inputs: Record<string, string | number | boolean>;
  phases: PlannedPhase[];
  tasks: PlannedTask[];
  /** Expertise domains the run reads and improves. */
  domains: string[];
  /** @default 'continue' */
  failurePolicy?: FailurePolicy;
  /** Longest time the whole run may take. */
  timeoutMs?: number;
  budget?: Budget;
  /** `auto`: the workflow's approvals are granted without asking. */
  approve?: 'ask' | 'auto';
  /** The workflow's caps on agents (`limits:`). */
  limits?: Limits;
  /** `false`: the workflow turned the API's research tools off. */
  research?: boolean;
}

export interface PlanArgs {
  workflow: Workflow;
  workflowFile: string;
  inputs: Record<string, unknown>;
  agents: ReadonlyMap<string, AgentDefinition>;
  /** Names of the function tasks' functions the run was given. */
  functions?: ReadonlySet<string>;
  /** Agents whose files were skipped because they do not load: name -> why, for the message. */
  unloadableAgents?: ReadonlyMap<string, string>;
  /** The result schemas the tasks may name: the generic ones and the workflow kind's. */
  resultSchemas?: ResultSchemas;
}

/** Turns a workflow, its inputs and the loaded agents into a run plan. Pure: no I/O. */
export function planRun({ workflow, workflowFile, inputs, agents, functions, unloadableAgents, resultSchemas }: PlanArgs): RunPlan {
  const problems = validateWorkflowGraph(workflow, workflowFile, new Set(agents.keys()), functions, unloadableAgents, resultSchemas);
  if (problems.length > 0) throw new ValidationError(problems);
  const resolvedInputs = resolveInputs(workflow, inputs);

  const needs = resolveNeeds(workflow);
  const tasks: PlannedTask[] = [];
  const defaultTimeout = workflow.defaults?.timeout;
  for (const phase of workflow.phases) {
    for (const task of phase.tasks) {
      // An agent task always has a timeout; a function task (code the user gave) only when asked.
      const timeout = task.timeout ?? defaultTimeout ?? (task.function === undefined ? DEFAULT_AGENT_TASK_TIMEOUT : undefined);
      const result = (task.result ?? (task.function === undefined ? 'summary' : undefined)) as string | undefined;
      tasks.push({
        id: task.id,
        index: tasks.length,
        phase: phase.id,
        kind: task.function === undefined ? 'agent' : 'function',
        agent: task.agent ?? `function:${task.function}`,
        ...(task.function !== undefined ? { function: task.function } : {}),
        needs: needs.get(task.id) ?? [],
        promptTemplate: task.prompt ?? '',
        ...(result ? { result } : {}),
        ...(timeout ? { timeoutMs: durationToMs(timeout) } : {}),
        retry: resolveRetryPolicy(workflow.defaults?.retry, task.retry),
        ...(task.budget ? { budget: task.budget } : {}),
      });
    }
  }
  return {
    workflow: workflow.name,
    ...(workflow.kind ? { kind: workflow.kind } : {}),
    inputs: resolvedInputs,
    phases: workflow.phases.map((phase) => ({
      id: phase.id,
      name: phase.name,
      taskIds: phase.tasks.map((t) => t.id),
      ...(phase.gate ? { gate: { name: phase.gate.name ?? `${phase.id} gate`, condition: phase.gate.condition, tasks: gateTasks(phase.gate.condition) } } : {}),
      ...(phase.approval ? { approval: plannedApproval(phase.approval, phase.name) } : {}),
      ...(phase.budget ? { budget: phase.budget } : {}),
    })),
    tasks,
    domains: workflow.domains,
    failurePolicy: workflow.failurePolicy,
    ...(workflow.timeout ? { timeoutMs: durationToMs(workflow.timeout) } : {}),
    ...(workflow.budget ? { budget: workflow.budget } : {}),
    ...(workflow.approve ? { approve: workflow.approve } : {}),
    ...(workflow.limits ? { limits: workflow.limits } : {}),
    ...(workflow.research !== undefined ? { research: workflow.research } : {}),
  };
}

function plannedApproval(approval: Approval, phaseName: string): PlannedApproval {
  const given = approval === 'required' ? {} : approval;
  return { message: given.message ?? `Approve the work of ${phaseName} before the run goes on?`, ...(given.show ? { show: given.show } : {}) };
}

/** Checks inputs against the workflow's declared types; reports every problem at once. */
export function resolveInputs(workflow: Workflow, given: Record<string, unknown>): Record<string, string | number | boolean> {
  const problems: ValidationProblem[] = [];
  const out: Record<string, string | number | boolean> = {};
  const at = (name: string, message: string) => problems.push({ file: `input "${name}"`, location: '', message });

  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(workflow.inputs, name)) {
      at(name, `workflow "${workflow.name}" has no such input; it takes: ${Object.keys(workflow.inputs).join(', ') || 'none'}`);
    }
  }
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    let value = given[name] ?? spec.default;
    if (value === undefined || value === '') {
      if (spec.required) at(name, `is required${spec.description ? ` (${spec.description})` : ''}`);
      continue;
    }
    if (spec.type === 'number') value = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (spec.type === 'boolean' && typeof value === 'string') value = value === 'true' ? true : value === 'false' ? false : value;
    if (typeof value !== spec.type || (typeof value === 'number' && Number.isNaN(value))) {
      at(name, `must be a ${spec.type}`);
      continue;
    }
    if (spec.pattern && typeof value === 'string' && !new RegExp(`^(?:${spec.pattern})$`).test(value)) {
      at(name, `"${value}" is not valid${spec.description ? `: expected ${spec.description}` : ''}`);
      continue;
    }
    out[name] = value as string | number | boolean;
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return out;
}
