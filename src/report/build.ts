import type { TaskOutcome, ExecutionResult } from '../engine/scheduler.js';
import type { RunPlan } from '../engine/plan.js';
import type { StaleFinding } from '../schema/expertise.js';
import type { IntegrationSection, RunReport } from '../schema/report.js';
import { DocumentationResult, ResearchResult, SecurityReviewResult, TestResult } from '../schema/results.js';
import type { Usage } from '../schema/usage.js';
import type { z } from 'zod';

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
  /** Stale expertise found before the run. */
  staleExpertise?: StaleFinding[];
}

/** Builds the run report from the real outcomes; nothing in it is taken on an agent's word alone. */
export function buildReport(args: ReportArgs): RunReport {
  const { plan, execution } = args;
  const failed = execution.outcomes.filter((o) => o.status === 'failed');
  const integration = integrationSection(plan, execution.outcomes);
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
    tasks: execution.outcomes.map((o) => ({
      id: o.task.id,
      phase: o.task.phase,
      agent: o.task.agent,
      model: o.model,
      status: o.status,
      durationMs: o.durationMs,
      usage: o.usage,
      ...(summaryOf(o) ? { summary: summaryOf(o)! } : {}),
      ...(o.error ? { error: o.error } : {}),
    })),
    stagedFiles: args.stagedFiles,
    learnings: args.learnings,
    ...(args.staleExpertise?.length ? { staleExpertise: args.staleExpertise } : {}),
    ...(integration ? { integration } : {}),
    // The run-level cause (cancelled, fail-fast, gate, budget, timeout) first, else every failed task and why.
    ...(execution.error
      ? { error: execution.error }
      : failed.length
        ? { error: { code: 'TASKS_FAILED', message: failed.map((o) => `${o.task.id}: ${o.error?.message ?? 'failed'}`).join('; ') } }
        : {}),
  };
}

function summaryOf(outcome: TaskOutcome): string | undefined {
  const result = outcome.result as { summary?: unknown } | undefined;
  return typeof result?.summary === 'string' ? result.summary : undefined;
}

function resultOf<T extends z.ZodType>(outcomes: TaskOutcome[], name: string, schema: T): z.infer<T> | undefined {
  const outcome = outcomes.find((o) => o.task.result === name && o.status === 'done');
  const parsed = schema.safeParse(outcome?.result);
  return parsed.success ? parsed.data : undefined;
}

/** The /integrate output sections, when the workflow has a service input. */
function integrationSection(plan: RunPlan, outcomes: TaskOutcome[]): IntegrationSection | undefined {
  const service = plan.inputs.service;
  if (typeof service !== 'string') return undefined;
  const research = resultOf(outcomes, 'research', ResearchResult);
  const tests = resultOf(outcomes, 'test-results', TestResult);
  const review = resultOf(outcomes, 'security-review', SecurityReviewResult);
  const docs = resultOf(outcomes, 'documentation', DocumentationResult);
  return {
    service,
    configuration: {
      endpoint: research?.endpoint ?? 'unknown (research did not finish)',
      authentication: research?.authentication ?? 'unknown (research did not finish)',
      environmentVariables: research?.envVars ?? [],
    },
    capabilities: research?.capabilities ?? [],
    testing: {
      ran: tests?.ran ?? false,
      passed: tests?.passed ?? 0,
      failed: tests?.failed ?? 0,
      testFiles: tests?.testFiles ?? [],
      summary: tests ? (tests.ran ? tests.summary : `${tests.summary} Not run: ${tests.notRun ?? 'no reason given'}.`) : 'testing did not finish',
    },
    security: {
      checks: review?.checks ?? [],
      findings: review?.findings ?? [],
      summary: review?.summary ?? 'security review did not finish',
    },
    documentation: docs?.documents ?? [],
    usageExamples: docs?.usageExamples ?? [],
    nextSteps: docs?.nextSteps ?? [],
  };
}
