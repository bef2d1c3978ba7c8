import type { Workflow, WorkflowPhase, WorkflowTask } from './workflow.js';
import { workflowStructureIssues } from './workflow-checks.js';

/*
 * A hand-written check of the common shape of a workflow defined in code: a name, a description,
 * phases of id, name and tasks, tasks of id, name, agent, function, prompt, needs and result (all
 * plain strings). Why not only the zod schema: parsing a 10,000-task workflow with it allocates
 * more than the whole run that follows (measured: ~98 MB of RSS before the run at fan-out 10k).
 * This accepts a subset of what `Workflow` accepts and returns what its parse returns (same keys,
 * same order, defaults filled in: checked by test/engine/plain-workflow.test.ts); anything else
 * (gates, budgets, retries, an unknown key, any invalid value or structure problem) gives
 * `undefined`, and the caller parses with zod, so every error message is still zod's.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const WORKFLOW_KEYS = new Set(['name', 'description', 'failurePolicy', 'phases']);
const PHASE_KEYS = new Set(['id', 'name', 'tasks']);
// In the schema's order, which is the order of the keys zod's parse returns.
const TASK_KEYS = ['id', 'name', 'agent', 'function', 'prompt', 'needs', 'result'] as const;
const TASK_KEY_SET = new Set<string>(TASK_KEYS);

type Loose = Record<string, unknown>;

function plainObject(value: unknown): value is Loose {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function onlyKeys(value: Loose, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!allowed.has(key)) return false;
  return true;
}

const isId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function plainTask(value: unknown): WorkflowTask | undefined {
  if (!plainObject(value) || !onlyKeys(value, TASK_KEY_SET) || !isId(value.id)) return undefined;
  const task: Loose = {};
  for (const key of TASK_KEYS) {
    if (!(key in value)) continue;
    const field = value[key];
    if (field !== undefined) {
      if (key === 'id' || key === 'name' || key === 'result') {
        if (typeof field !== 'string') return undefined;
      } else if (key === 'needs') {
        if (!Array.isArray(field)) return undefined;
        for (let i = 0; i < field.length; i++) if (!isId(field[i])) return undefined;
        task.needs = field.slice();
        continue;
      } else if (!isText(field)) return undefined;
    }
    // A key given as undefined stays, as zod's parse keeps it.
    task[key] = field;
  }
  return task as WorkflowTask;
}

function plainPhase(value: unknown): WorkflowPhase | undefined {
  if (!plainObject(value) || !onlyKeys(value, PHASE_KEYS)) return undefined;
  if (!isId(value.id) || !isText(value.name) || !Array.isArray(value.tasks) || value.tasks.length === 0) return undefined;
  const tasks = everyOrNone(value.tasks as unknown[], plainTask);
  return tasks && { id: value.id, name: value.name, tasks };
}

/** The workflow as `Workflow.parse` would return it, when it has the common shape and no problem; otherwise undefined. */
export function plainWorkflow(value: unknown): Workflow | undefined {
  if (!plainObject(value) || !onlyKeys(value, WORKFLOW_KEYS)) return undefined;
  if (!isId(value.name) || !isText(value.description) || !Array.isArray(value.phases) || value.phases.length === 0) return undefined;
  const failurePolicy = value.failurePolicy ?? 'continue';
  if (failurePolicy !== 'continue' && failurePolicy !== 'fail-fast') return undefined;
  const phases = everyOrNone(value.phases as unknown[], plainPhase);
  if (!phases) return undefined;
  const workflow: Workflow = { name: value.name, description: value.description, inputs: {}, domains: [], failurePolicy, phases };
  return workflowStructureIssues(workflow).length === 0 ? workflow : undefined;
}

/** Each item made plain, or undefined as soon as one is not (a loop: a 10,000-task list makes no closures or intermediate arrays). */
function everyOrNone<T>(source: readonly unknown[], plain: (value: unknown) => T | undefined): T[] | undefined {
  const out = new Array<T>(source.length);
  for (let i = 0; i < source.length; i++) {
    const item = plain(source[i]);
    if (item === undefined) return undefined;
    out[i] = item;
  }
  return out;
}
