import type { z } from 'zod';
import { TaskError, ValidationError } from '../errors.js';
import type { TaskExecution, TaskSuccess } from '../engine/execution.js';
import type { PlannedTask } from '../engine/plan.js';
import { plainWorkflow } from '../schema/plain-workflow.js';
import { zodProblems } from '../schema/problems.js';
import { jsonProblem } from './plain-json.js';
import type { ResultSchemas } from '../schema/results.js';
import type { Usage } from '../schema/usage.js';
import { Workflow, type WorkflowPhase, type WorkflowTask } from '../schema/workflow.js';

/** What a function task receives: the run's inputs, the results it needs, and a signal. */
export interface TaskFunctionContext {
  runId: string;
  /** The task's id. */
  task: string;
  inputs: Readonly<Record<string, string | number | boolean>>;
  /** The results of the tasks this one needs, by task id. */
  needs: Readonly<Record<string, unknown>>;
  /** Aborted on cancellation, timeout, fail-fast or a crossed budget: stop when it fires. */
  signal: AbortSignal;
  attempt: number;
  /** Reports usage (for example of a model called directly); throws when a budget is crossed. */
  reportUsage: (usage: Usage) => void;
}

/** A function task: returns (or resolves to) its result. Plain JSON, so dependents and gates can read it. */
export type TaskFunction = (context: TaskFunctionContext) => unknown;

/** A function with the schema its result must satisfy, if any. */
export interface RegisteredFunction {
  run: TaskFunction;
  result?: z.ZodType;
}

/** A task of a workflow defined in code: an agent task as in YAML, or one with `run`. */
export type DefinedTask =
  | (Omit<WorkflowTask, 'function'> & { run?: undefined })
  | (Omit<WorkflowTask, 'agent' | 'prompt' | 'function' | 'result'> & {
      /** The function the task runs. */
      run: TaskFunction;
      /** A result schema name, or a zod schema the result must satisfy. */
      result?: string | z.ZodType;
    });

export type DefinedPhase = Omit<WorkflowPhase, 'tasks'> & { tasks: DefinedTask[] };
export type WorkflowDefinition = Omit<z.input<typeof Workflow>, 'phases'> & { phases: DefinedPhase[] };

/** A workflow defined in code: the validated workflow and its functions. Pass it to `runWorkflow`. */
export interface DefinedWorkflow {
  readonly kind: 'defined-workflow';
  readonly workflow: Workflow;
  readonly functions: ReadonlyMap<string, RegisteredFunction>;
}

/**
 * Defines a workflow in code, mixing agent tasks and TypeScript function tasks. It is checked
 * like a YAML workflow (every problem at once, a {@link ValidationError} listing them).
 *
 * @example
 * const flow = defineWorkflow({
 *   name: 'release-notes',
 *   description: 'Collect merged changes, then let an agent write the notes',
 *   phases: [
 *     { id: 'collect', name: 'Collect', tasks: [{ id: 'changes', run: async () => ({ summary: '3 changes' }) }] },
 *     { id: 'write', name: 'Write', tasks: [{ id: 'notes', agent: 'documentation-expert', prompt: 'Write notes: {{needs.changes.summary}}' }] },
 *   ],
 * });
 * await runWorkflow({ workflow: flow, cwd });
 */
export function defineWorkflow(definition: WorkflowDefinition): DefinedWorkflow {
  const functions = new Map<string, RegisteredFunction>();
  const file = `defineWorkflow(${String(definition.name)})`;
  // A task list at the top (no phases) is a validation problem saying what to write, not a TypeError.
  if (!Array.isArray(definition.phases)) {
    const tasks = (definition as { tasks?: unknown }).tasks !== undefined;
    throw new ValidationError([
      { file, location: 'phases', message: tasks ? 'tasks belong in a phase: phases: [{ id: "main", name: "Main", tasks: [...] }]' : 'a workflow needs phases: [{ id, name, tasks: [...] }]' },
    ]);
  }
  const phases = definition.phases.map((phase) => ({
    ...phase,
    tasks: !Array.isArray(phase.tasks) ? phase.tasks : phase.tasks.map((task) => {
      if (typeof task.run !== 'function') return task;
      const { run, result, ...rest } = task;
      functions.set(task.id, { run, ...(result !== undefined && typeof result !== 'string' ? { result } : {}) });
      return { ...rest, function: task.id, ...(typeof result === 'string' ? { result } : {}) };
    }),
  }));
  const workflow = { ...definition, phases };
  // The common shape is checked by hand (zod's parse of 10,000 tasks outweighs the run); anything else, and every error, goes through zod.
  const plain = plainWorkflow(workflow);
  if (plain) return { kind: 'defined-workflow', workflow: plain, functions };
  const parsed = Workflow.safeParse(workflow);
  if (!parsed.success) throw new ValidationError(zodProblems(file, parsed.error));
  return { kind: 'defined-workflow', workflow: parsed.data, functions };
}

export function isDefinedWorkflow(value: unknown): value is DefinedWorkflow {
  return typeof value === 'object' && value !== null && (value as DefinedWorkflow).kind === 'defined-workflow';
}

/**
 * Runs one attempt of a function task and checks its result against its schema. A function that
 * returns its value at once (not a promise) gets its success back at once, with no promise made.
 */
export function runFunctionTask(
  task: PlannedTask,
  execution: TaskExecution,
  functions: ReadonlyMap<string, RegisteredFunction>,
  inputs: Readonly<Record<string, string | number | boolean>>,
  /** The schemas a task's `result:` may name: the generic ones and the workflow kind's. */
  resultSchemas: ResultSchemas,
): TaskSuccess | Promise<TaskSuccess> {
  const registered = functions.get(task.function!);
  if (!registered) throw new TaskError('UNKNOWN_FUNCTION', `no function "${task.function}" was given for task "${task.id}"`);
  execution.signal.throwIfAborted();
  const value = registered.run({
    runId: execution.runId,
    task: task.id,
    inputs,
    needs: execution.needs,
    signal: execution.signal,
    attempt: execution.attempt,
    reportUsage: execution.onUsage,
  });
  return isThenable(value)
    ? Promise.resolve(value).then((resolved) => checkedResult(task, registered, resolved, resultSchemas))
    : checkedResult(task, registered, value, resultSchemas);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A function task's value as its success: plain JSON, and valid against its schema if it has one. */
function checkedResult(task: PlannedTask, registered: RegisteredFunction, value: unknown, resultSchemas: ResultSchemas): TaskSuccess {
  const problem = jsonProblem(value);
  if (problem) throw new TaskError('RESULT_NOT_JSON', `function task "${task.id}" returned a result that is not plain JSON: ${problem}`);
  const schema = registered.result ?? (task.result ? resultSchemas[task.result] : undefined);
  if (!schema) return { result: value, model: 'function' };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new TaskError('INVALID_RESULT', `function task "${task.id}" returned an invalid result: ${problems}`);
  }
  return { result: parsed.data, model: 'function' };
}
