import { TaskError } from '../errors.js';
import type { GateCheck } from '../schema/events.js';
import { conditionFields } from '../schema/workflow-checks.js';
import type { Comparison, Condition } from '../schema/workflow.js';

/** A phase's gate, resolved by the planner: its name, condition and the tasks it reads. */
export interface PlannedGate {
  name: string;
  condition: Condition;
  /** Ids of the tasks whose results the condition reads; the phase waits for them. */
  tasks: string[];
}

/** The tasks a condition reads, in first-mention order. */
export function gateTasks(condition: Condition): string[] {
  return [...new Set(conditionFields(condition).map(({ field }) => field.split('.')[0]!))];
}

/** Reads `<task>.<field>...` from the results; missing parts read as undefined. */
function read(field: string, results: (task: string) => unknown): unknown {
  const [task, ...path] = field.split('.');
  let value = results(task!);
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function compare(c: Comparison, value: unknown): boolean {
  if (c.equals !== undefined) return value === c.equals;
  if (c.notEquals !== undefined) return value !== c.notEquals;
  if (typeof value !== 'number') return false;
  if (c.lessThan !== undefined) return value < c.lessThan;
  if (c.atMost !== undefined) return value <= c.atMost;
  if (c.greaterThan !== undefined) return value > c.greaterThan;
  return value >= c.atLeast!;
}

function holds(condition: Condition, values: Record<string, unknown>, results: (task: string) => unknown): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, values, results));
  if ('any' in condition) return condition.any.some((c) => holds(c, values, results));
  if ('not' in condition) return !holds(condition.not, values, results);
  const value = read(condition.field, results);
  values[condition.field] = value;
  return compare(condition, value);
}

/** Evaluates a gate against the results of the tasks it reads. Data in, verdict out; no `eval`. */
export function checkGate(gate: PlannedGate, phase: string, results: (task: string) => unknown): GateCheck {
  const values: Record<string, unknown> = {};
  // Every field is read (not short-circuited) so the verdict shows all the values it saw.
  for (const { field } of conditionFields(gate.condition)) values[field] = read(field, results);
  return { name: gate.name, phase, holds: holds(gate.condition, values, results), values };
}

/** The error of a gate that did not hold, naming it and the values it saw. */
export class GateFailedError extends TaskError {
  constructor(readonly check: GateCheck) {
    const seen = Object.entries(check.values).map(([field, value]) => `${field} = ${JSON.stringify(value) ?? 'undefined'}`);
    super('GATE_FAILED', `gate "${check.name}" of phase "${check.phase}" does not hold; it saw ${seen.join(', ') || 'no values'}`);
  }
}
