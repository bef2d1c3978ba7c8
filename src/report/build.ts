import type { TaskOutcome, ExecutionResult } from '../engine/scheduler.js';
import type { RunPlan } from '../engine/plan.js';
import type { StaleFinding } from '../schema/expertise.js';
import type { IntegrationSection, ReportApproval, ReportTask, RunReport } from '../schema/report.js';
import type { Usage } from '../schema/usage.js';

export interface ReportArgs {
  plan: RunPlan;
  runId: string;
  model: string;
  startedAt: string;
  durationMs: number;
  usage: Usage;
  execution: ExecutionResult;
  stagedFiles: string[];
  learnings: number;
  /** Models used without a known price (see `RunReport.unpricedModels`). */
  unpricedModels?: string[];
  /** Stale expertise found before the run. */
  staleExpertise?: StaleFinding[];
  /** The section the workflow's kind writes (integration: the /integrate output format). */
  integration?: IntegrationSection;
  /** The approvals answered: who approved or rejected what, and when. */
  approvals?: ReportApproval[];
  /** Who ran each task's last attempt, when it ran on a queue worker. */
  workers?: ReadonlyMap<string, string>;
}

/** Builds the run report from the real outcomes; nothing in it is taken on an agent's word alone. */
export function buildReport(args: ReportArgs): RunReport {
  const { plan, execution } = args;
  const failed = execution.outcomes.filter((o) => o.status === 'failed');
  const integration = args.integration;
  return {
    schemaVersion: 1,
    runId: args.runId,
    workflow: plan.workflow,
    inputs: plan.inputs,
    status: execution.status,
    model: args.model,
    startedAt: args.startedAt,
    durationMs: args.durationMs,
    usage: args.usage,
    ...(args.unpricedModels?.length ? { unpricedModels: args.unpricedModels } : {}),
    tasks: execution.outcomes.map((o) => reportTask(o, args.workers?.get(o.task.id))),
    stagedFiles: args.stagedFiles,
    learnings: args.learnings,
    ...(args.staleExpertise?.length ? { staleExpertise: args.staleExpertise } : {}),
    ...(integration ? { integration } : {}),
    ...(args.approvals?.length ? { approvals: args.approvals } : {}),
    // The run-level cause (cancelled, fail-fast, gate, budget, timeout) first, else every failed task and why.
    ...(execution.error
      ? { error: execution.error }
      : failed.length
        ? { error: { code: 'TASKS_FAILED', message: failed.map((o) => `${o.task.id}: ${o.error?.message ?? 'failed'}`).join('; ') } }
        : {}),
  };
}

/** A task's row: its optional fields set only when they have a value, with no object made to spread them. */
function reportTask(o: TaskOutcome, worker: string | undefined): ReportTask {
  const row: ReportTask = { id: o.task.id, phase: o.task.phase, agent: o.task.agent, model: o.model, status: o.status, durationMs: o.durationMs, usage: o.usage };
  if (worker !== undefined) row.worker = worker;
  const summary = summaryOf(o);
  if (summary) row.summary = summary;
  if (o.error) row.error = o.error;
  return row;
}

function summaryOf(outcome: TaskOutcome): string | undefined {
  const result = outcome.result as { summary?: unknown } | undefined;
  return typeof result?.summary === 'string' ? result.summary : undefined;
}
