import { z } from 'zod';
import { RESULT_SCHEMAS, type ResultSchemas } from './results.js';
import { durationToMs } from './duration.js';

/** A problem found in a workflow's structure, located by its path in the file. */
export interface StructureIssue {
  path: PropertyKey[];
  message: string;
}

// The checks run on a partly invalid document too (zod's `when`), so every read is defensive.
type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => value !== null && typeof value === 'object' && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

interface TaskAt {
  id: string;
  phase: number;
  index: number;
  task: Loose;
}

/** Each task's needs, with the default (every task of the previous phase) filled in. */
export function defaultNeeds(phases: readonly { tasks: readonly { id: string; needs?: readonly string[] | undefined }[] }[]): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  let previous: string[] = [];
  for (const phase of phases) {
    // The first definition of a duplicated id wins, so its cycle is still found.
    for (const task of phase.tasks) if (!needs.has(task.id)) needs.set(task.id, [...(task.needs ?? previous)]);
    previous = phase.tasks.map((task) => task.id);
  }
  return needs;
}

/** Returns one cycle as a list of task ids (first repeated last), or undefined. */
export function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const seen = state.get(id);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (!edges.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The `<task>.<field>` references of a gate condition, with their paths inside it. */
export function conditionFields(condition: unknown, path: PropertyKey[] = []): { field: string; path: PropertyKey[] }[] {
  if (!isObject(condition)) return [];
  if (typeof condition.field === 'string') return [{ field: condition.field, path: [...path, 'field'] }];
  if (Array.isArray(condition.all)) return condition.all.flatMap((c, i) => conditionFields(c, [...path, 'all', i]));
  if (Array.isArray(condition.any)) return condition.any.flatMap((c, i) => conditionFields(c, [...path, 'any', i]));
  return conditionFields(condition.not, [...path, 'not']);
}

/** Whether a result schema has the (possibly nested) field; unknown schemas answer undefined. */
function schemaHasField(schema: z.ZodType, segments: readonly string[]): boolean {
  let current: z.ZodType = schema;
  for (const segment of segments) {
    while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    }
    if (!(current instanceof z.ZodObject)) return false;
    const next = (current.shape as Record<string, z.ZodType>)[segment];
    if (!next) return false;
    current = next;
  }
  return true;
}

/**
 * Structural checks of a workflow document: duplicate ids, task kinds, unknown needs, cycles
 * (gates included), gate fields no task produces, result schema names and retry intervals.
 * Every problem is returned, each with its path.
 */
export function workflowStructureIssues(workflow: unknown, resultSchemas?: ResultSchemas): StructureIssue[] {
  const issues: StructureIssue[] = [];
  if (!isObject(workflow)) return issues;
  // Without the kind's schemas (the workflow file's own check), a name the generic set lacks is
  // left to the kind a workflow names: the run checks it once the kind is loaded (prepare-run.ts).
  const known: ResultSchemas = resultSchemas ?? RESULT_SCHEMAS;
  const leftToKind = (name: string) => resultSchemas === undefined && typeof workflow.kind === 'string' && !Object.hasOwn(known, name);
  const phases = list(workflow.phases).map((phase) => (isObject(phase) ? phase : {}));
  const tasks = new Map<string, TaskAt>();
  const phaseIds = new Set<string>();

  phases.forEach((phase, p) => {
    const id = text(phase.id);
    if (id !== undefined && phaseIds.has(id)) issues.push({ path: ['phases', p, 'id'], message: `duplicate phase id "${id}"` });
    if (id !== undefined) phaseIds.add(id);
    list(phase.tasks).forEach((task, t) => {
      if (!isObject(task)) return;
      const at = ['phases', p, 'tasks', t];
      const taskId = text(task.id);
      if (taskId !== undefined && tasks.has(taskId)) issues.push({ path: [...at, 'id'], message: `duplicate task id "${taskId}"` });
      else if (taskId !== undefined) tasks.set(taskId, { id: taskId, phase: p, index: t, task });
      if (task.agent !== undefined && task.function !== undefined) issues.push({ path: at, message: 'a task has either an agent or a function, not both' });
      if (task.agent === undefined && task.function === undefined) issues.push({ path: at, message: 'a task needs an agent (with a prompt) or a function' });
      if (task.agent !== undefined && task.prompt === undefined) issues.push({ path: [...at, 'prompt'], message: 'an agent task needs a prompt' });
      const result = text(task.result);
      if (result !== undefined && !Object.hasOwn(known, result) && !leftToKind(result)) {
        issues.push({ path: [...at, 'result'], message: `unknown result schema "${result}"; use one of: ${Object.keys(known).join(', ')}` });
      }
      issues.push(...retryIssues(task.retry, [...at, 'retry']));
    });
  });
  if (isObject(workflow.defaults)) issues.push(...retryIssues(workflow.defaults.retry, ['defaults', 'retry']));

  const shaped = phases.map((phase) => ({
    tasks: list(phase.tasks)
      .filter(isObject)
      .filter((task) => typeof task.id === 'string')
      .map((task) => ({ id: task.id as string, needs: Array.isArray(task.needs) ? task.needs.filter((n): n is string => typeof n === 'string') : undefined })),
  }));
  const needs = defaultNeeds(shaped);
  for (const { id, phase, index, task } of tasks.values()) {
    if (!Array.isArray(task.needs)) continue;
    for (const need of needs.get(id) ?? []) {
      const at = ['phases', phase, 'tasks', index, 'needs'];
      if (need === id) issues.push({ path: at, message: `task "${id}" needs itself` });
      else if (!tasks.has(need)) issues.push({ path: at, message: `task "${id}" needs unknown task "${need}"` });
    }
  }

  // Gates: every field names an existing task outside the phase whose result has that field.
  const edges = new Map(needs);
  phases.forEach((phase, p) => {
    if (!isObject(phase.gate)) return;
    const own = new Set(shaped[p]?.tasks.map((t) => t.id));
    for (const { field, path } of conditionFields(phase.gate.condition, ['phases', p, 'gate', 'condition'])) {
      const [taskId, ...segments] = field.split('.');
      const source = tasks.get(taskId!);
      if (!source) {
        issues.push({ path, message: `gate on "${field}", but no task "${taskId}" exists` });
        continue;
      }
      if (own.has(taskId!)) {
        issues.push({ path, message: `gate on "${field}", but "${taskId}" is in the phase the gate guards; gate on an earlier phase's task` });
        continue;
      }
      for (const id of own) edges.get(id)?.push(taskId!);
      const result = text(source.task.result) ?? (source.task.function === undefined ? 'summary' : undefined);
      if (result !== undefined && Object.hasOwn(known, result) && !schemaHasField(known[result]!, segments)) {
        issues.push({ path, message: `gate on "${field}", but task "${taskId}" produces a "${result}" result, which has no field "${segments.join('.')}"` });
      }
    }
  });

  issues.push(...approvalShowIssues(phases));
  const cycle = findCycle(edges);
  if (cycle) issues.push({ path: ['phases'], message: `the tasks form a cycle: ${cycle.join(' -> ')}` });
  return issues;
}

/**
 * An approval's `show:` names what the person reads at the gate: a note (`notes/<name>.md`) or a
 * staged file, relative to the run folder, that a task of the gated phase or an earlier one is
 * told to write (its prompt names the path). A path no such task names would show nothing.
 * Function tasks can stage anything, so a phase range with one is not checked by name.
 */
function approvalShowIssues(phases: Array<Record<string, unknown>>): StructureIssue[] {
  const issues: StructureIssue[] = [];
  const prompts: string[] = [];
  let functions = false;
  phases.forEach((phase, p) => {
    for (const task of list(phase.tasks).filter(isObject)) {
      if (typeof task.prompt === 'string') prompts.push(task.prompt);
      if (task.function !== undefined) functions = true;
    }
    const show = isObject(phase.approval) ? text(phase.approval.show) : undefined;
    if (show === undefined) return;
    const at = ['phases', p, 'approval', 'show'];
    const parts = show.split(/[\\/]/);
    if (show.startsWith('/') || /^[A-Za-z]:/.test(show) || parts.includes('..') || parts.includes('')) {
      issues.push({ path: at, message: `approval shows "${show}", which is not a path inside the run; use notes/<name>.md or a staged file's repository path` });
    } else if (show.startsWith('notes/') && (parts.length !== 2 || !show.endsWith('.md'))) {
      issues.push({ path: at, message: `approval shows "${show}"; a note is notes/<name>.md` });
    } else if (!functions && !prompts.some((prompt) => prompt.includes(show))) {
      issues.push({ path: at, message: `approval shows "${show}", but no task up to this phase is asked to write it (no prompt names it); name it in a task's prompt or fix the path` });
    }
  });
  return issues;
}

function retryIssues(retry: unknown, path: PropertyKey[]): StructureIssue[] {
  if (!isObject(retry)) return [];
  const ms = (value: unknown) => {
    try {
      return typeof value === 'string' ? durationToMs(value) : undefined;
    } catch {
      return undefined;
    }
  };
  const initial = ms(retry.initialInterval);
  const maximum = ms(retry.maximumInterval);
  if (initial !== undefined && maximum !== undefined && maximum < initial) {
    return [{ path: [...path, 'maximumInterval'], message: `maximumInterval (${String(retry.maximumInterval)}) is shorter than initialInterval (${String(retry.initialInterval)})` }];
  }
  return [];
}
