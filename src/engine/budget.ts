import { TaskError } from '../errors.js';
import type { BudgetBreach } from '../schema/events.js';
import { addUsage, emptyUsage, type Usage } from '../schema/usage.js';
import type { Budget } from '../schema/workflow.js';

const MEASURES = ['turns', 'inputTokens', 'outputTokens', 'costUsd'] as const;

/** A budget crossed: stops its scope. Carries which budget, what was used and what was allowed. */
export class BudgetExceededError extends TaskError {
  constructor(readonly breach: BudgetBreach) {
    super('BUDGET_EXCEEDED', budgetMessage(breach));
  }
}

export function budgetMessage(b: BudgetBreach): string {
  const show = (n: number) => (b.measure === 'costUsd' ? `$${n.toFixed(4)}` : String(n));
  const verb = b.used > b.allowed ? 'exceeded' : 'used up';
  return `${b.scope} budget of "${b.id}" ${verb}: ${b.measure} used ${show(b.used)}, allowed ${show(b.allowed)}`;
}

/** The first measure of `used` over its limit (or, with `atLimit`, at it), as a breach. */
export function breachOf(scope: BudgetBreach['scope'], id: string, used: Usage, limit: Budget | undefined, atLimit = false): BudgetBreach | undefined {
  if (!limit) return undefined;
  for (const measure of MEASURES) {
    const allowed = limit[measure];
    if (allowed === undefined) continue;
    // Input counts every prompt token the API bills: uncached input, cache reads and cache writes.
    const value = measure === 'inputTokens' ? used.inputTokens + used.cacheReadTokens + used.cacheWriteTokens : used[measure];
    if (value > allowed || (atLimit && value >= allowed)) return { scope, id, measure, used: value, allowed };
  }
  return undefined;
}

interface Scope {
  id: string;
  limit: Budget | undefined;
  used: Usage;
}

/**
 * Counts usage per task, phase and run as it happens (one charge per model call) and says
 * when a budget is crossed. Pure: the scheduler decides what stopping a scope means.
 */
export class BudgetLedger {
  readonly run: Scope;
  private readonly phases = new Map<string, Scope>();
  private readonly tasks = new Map<string, Scope>();

  constructor(runId: string, runLimit: Budget | undefined) {
    this.run = { id: runId, limit: runLimit, used: emptyUsage() };
  }

  addPhase(id: string, limit: Budget | undefined): void {
    this.phases.set(id, { id, limit, used: emptyUsage() });
  }

  /** Usage of a task so far, every attempt included. */
  taskUsage(task: string): Usage {
    return this.tasks.get(task)?.used ?? emptyUsage();
  }

  phaseUsage(phase: string): Usage {
    return this.phases.get(phase)!.used;
  }

  /** Adds usage to the task, its phase and the run; returns the widest budget crossed, if any. */
  charge(task: string, taskLimit: Budget | undefined, phase: string, usage: Usage): BudgetBreach | undefined {
    let t = this.tasks.get(task);
    if (!t) this.tasks.set(task, (t = { id: task, limit: taskLimit, used: emptyUsage() }));
    const p = this.phases.get(phase)!;
    addUsage(t.used, usage);
    addUsage(p.used, usage);
    addUsage(this.run.used, usage);
    return breachOf('run', this.run.id, this.run.used, this.run.limit) ?? breachOf('phase', p.id, p.used, p.limit) ?? breachOf('task', t.id, t.used, t.limit);
  }

  /** Before a task starts: a phase or run budget already used up stops it from starting. */
  exhausted(phase: string): BudgetBreach | undefined {
    const p = this.phases.get(phase)!;
    return breachOf('run', this.run.id, this.run.used, this.run.limit, true) ?? breachOf('phase', p.id, p.used, p.limit, true);
  }
}
