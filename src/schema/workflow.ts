import { z } from 'zod';
import { Limits } from './limits.js';
import { Duration } from './duration.js';
import { workflowStructureIssues } from './workflow-checks.js';

/**
 * Identifier of a workflow, phase or task, in any of the usual styles: `fetch-data`,
 * `fetch_data`, `fetchData`, `FetchData`. Letters, digits, dashes and underscores, starting with
 * a letter or digit (so it is also a file name, a run-id word and a template path segment).
 */
export const TaskId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { message: 'use letters, digits, dashes and underscores, starting with a letter or digit (fetch-data, fetch_data, fetchData)' });

/** A typed input of a workflow, such as the service name of `integrate`. */
export const WorkflowInput = z
  .object({
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    description: z.string().optional(),
    required: z.boolean().default(true),
    /** A regular expression a string input must match in full. */
    pattern: z.string().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .strict();
export type WorkflowInput = z.infer<typeof WorkflowInput>;

/**
 * How a failed task attempt is retried, as data (Temporal's `RetryPolicy`). Every field is
 * optional; a task's fields override the workflow's `defaults.retry`, which override the engine's.
 *
 * @example
 * retry: { maximumAttempts: 3, initialInterval: 1s, backoffCoefficient: 2, maximumInterval: 30s, jitter: 0.2 }
 */
export const RetryPolicy = z
  .object({
    /** Attempts in all, the first included. @default 1 (no retry unless asked for) */
    maximumAttempts: z.number().int().min(1, { message: 'maximumAttempts must be at least 1' }),
    /** Wait before the first retry. @default 1s */
    initialInterval: Duration,
    /** Each further wait is the previous one times this. @default 2 */
    backoffCoefficient: z.number().min(1, { message: 'backoffCoefficient must be at least 1' }),
    /** The longest wait between attempts. @default 100 x initialInterval */
    maximumInterval: Duration,
    /** Fraction of each wait drawn at random (0 to 1), so parallel retries spread out. @default 0.2 */
    jitter: z.number().min(0).max(1, { message: 'jitter is a fraction between 0 and 1' }),
    /** Error codes that fail the task at once, such as `INVALID_RESULT`. */
    nonRetryableErrorCodes: z.array(z.string().min(1)),
  })
  .partial()
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** Limits enforced by the engine on a task, a phase or the whole run. Crossing one: `BUDGET_EXCEEDED`. */
export const Budget = z
  .object({
    /** Model calls. */
    turns: z.number().int().positive(),
    inputTokens: z.number().int().positive(),
    outputTokens: z.number().int().positive(),
    costUsd: z.number().positive(),
  })
  .partial()
  .strict();
export type Budget = z.infer<typeof Budget>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const OPERATORS = ['equals', 'notEquals', 'lessThan', 'atMost', 'greaterThan', 'atLeast'] as const;

/** One comparison of a task's result field: `{ field: tests.failed, equals: 0 }`. */
export const Comparison = z
  .object({
    /** `<task-id>.<field>[.<field>...]` of a task's structured result. */
    field: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z_][\w]*)+$/, {
      message: 'use <task-id>.<result-field>, such as tests.failed',
    }),
    equals: Scalar.optional(),
    notEquals: Scalar.optional(),
    lessThan: z.number().optional(),
    atMost: z.number().optional(),
    greaterThan: z.number().optional(),
    atLeast: z.number().optional(),
  })
  .strict()
  .refine((c) => OPERATORS.filter((op) => c[op] !== undefined).length === 1, {
    message: `a comparison takes exactly one of: ${OPERATORS.join(', ')}`,
  });
export type Comparison = z.infer<typeof Comparison>;

/** A declarative condition: a comparison, or `all` / `any` / `not` of conditions. Never evaluated as code. */
export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    Comparison,
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
  ]),
);

/** A condition on earlier tasks' results that must hold before a phase starts. */
export const Gate = z
  .object({
    name: z.string().min(1).optional(),
    condition: Condition,
  })
  .strict();
export type Gate = z.infer<typeof Gate>;

/**
 * A person approves the run's work so far when the phase has ended, before any later phase
 * starts: `approval: required`, or with the message to show and the note to show with it.
 *
 * @example
 * approval: { message: Approve the integration plan before implementation, show: notes/integration-plan.md }
 */
export const Approval = z.union([
  z.literal('required'),
  z
    .object({
      /** What the person is asked. @default "Approve the work of <phase name> before the run goes on?" */
      message: z.string().min(1).optional(),
      /** A note (`notes/<name>.md`) or staged file to show; on a terminal it can be edited before approving. */
      show: z.string().min(1).optional(),
    })
    .strict(),
]);
export type Approval = z.infer<typeof Approval>;

/** One unit of work: an agent task (`agent` + `prompt`) or a function task (`function`). */
export const WorkflowTask = z
  .object({
    id: TaskId,
    name: z.string().optional(),
    agent: z.string().min(1).optional(),
    /** Name of a TypeScript function given to `runWorkflow({ functions })` or by `defineWorkflow`. */
    function: z.string().min(1).optional(),
    /** Prompt template: `{{inputs.service}}` and `{{needs.<task-id>.summary}}` are filled in. */
    prompt: z.string().min(1).optional(),
    /** Tasks that must finish first; defaults to every task of the previous phase. */
    needs: z.array(TaskId).optional(),
    /** Name of the result schema the task's result must satisfy. @default summary for agent tasks */
    result: z.string().optional(),
    /** Longest time one attempt may take. */
    timeout: Duration.optional(),
    retry: RetryPolicy.optional(),
    budget: Budget.optional(),
  })
  .strict();
export type WorkflowTask = z.infer<typeof WorkflowTask>;

export const WorkflowPhase = z
  .object({
    id: TaskId,
    name: z.string().min(1),
    /** Must hold, on the results of earlier tasks, before any task of the phase starts. */
    gate: Gate.optional(),
    /** A person approves the phase's results before any later phase starts. */
    approval: Approval.optional(),
    budget: Budget.optional(),
    tasks: z.array(WorkflowTask).min(1),
  })
  .strict();
export type WorkflowPhase = z.infer<typeof WorkflowPhase>;

/** `fail-fast` stops running siblings at the first failed task; `continue` lets independent branches finish. */
export const FailurePolicy = z.enum(['fail-fast', 'continue']);
export type FailurePolicy = z.infer<typeof FailurePolicy>;

/** A workflow file: `workflows/<name>.yaml`. */
export const Workflow = z
  .object({
    name: TaskId,
    description: z.string().min(1),
    /**
     * The workflow family whose domain knowledge the run uses (src/kinds/), such as
     * `integration`: input checks, offline roles, commit subject, report section, secret variables.
     */
    kind: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
    inputs: z.record(z.string(), WorkflowInput).default({}),
    /** Expertise domains this workflow reads and improves, such as `integrations`. */
    domains: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).default([]),
    /** @default continue */
    failurePolicy: FailurePolicy.default('continue'),
    /** `auto` approves every approval of the workflow without asking (for scripted use). @default ask */
    approve: z.enum(['ask', 'auto']).optional(),
    /** Longest time the whole run may take. */
    timeout: Duration.optional(),
    /** Budget of the whole run. */
    budget: Budget.optional(),
    /** Caps on every agent's tool calls, staged bytes and learnings (an agent's own `limits` win). */
    limits: Limits.optional(),
    /** `false`: no task of this workflow gets the API's web search and fetch tools. @default true */
    research: z.boolean().optional(),
    /** Defaults for every task. */
    defaults: z.object({ retry: RetryPolicy.optional(), timeout: Duration.optional() }).strict().optional(),
    phases: z.array(WorkflowPhase).min(1),
  })
  .strict()
  // Runs even when fields failed, so a cycle and a bad duration are reported together.
  .check(z.superRefine((value, ctx) => {
    for (const issue of workflowStructureIssues(value)) ctx.addIssue({ code: 'custom', ...issue });
  }, { when: () => true }));
export type Workflow = z.infer<typeof Workflow>;
