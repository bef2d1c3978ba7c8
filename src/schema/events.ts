import { z } from 'zod';
import { ExpertiseChange, StaleFinding } from './expertise.js';
import { Usage } from './usage.js';

/**
 * The version of the journal's format (`journal.jsonl`), carried by its `run-start` events.
 * A resume refuses a journal of another version rather than guess at it.
 */
export const JOURNAL_SCHEMA_VERSION = 1;

const base = { runId: z.string(), at: z.string() };

/** A task's outcome. */
export const TaskStatus = z.enum(['done', 'failed', 'skipped', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/**
 * How a run ended. `awaiting-approval`: it stopped at an approval with nobody to answer (no
 * terminal); `orchestrate approve` or `reject` goes on from the journal. `rejected`: a person
 * rejected it at an approval; nothing after that point ran.
 */
export const RunStatus = z.enum(['complete', 'failed', 'cancelled', 'awaiting-approval', 'rejected']);
export type RunStatus = z.infer<typeof RunStatus>;

/** Which budget was crossed: its scope, the measure, what was used and what was allowed. */
export const BudgetBreach = z.object({
  scope: z.enum(['task', 'phase', 'run']),
  /** The task or phase id, or the workflow name for the run. */
  id: z.string(),
  measure: z.enum(['turns', 'inputTokens', 'outputTokens', 'costUsd']),
  used: z.number().nonnegative(),
  allowed: z.number().nonnegative(),
});
export type BudgetBreach = z.infer<typeof BudgetBreach>;

/** A gate's verdict and the values of the fields it looked at. */
export const GateCheck = z.object({
  name: z.string(),
  phase: z.string(),
  holds: z.boolean(),
  values: z.record(z.string(), z.unknown()),
});
export type GateCheck = z.infer<typeof GateCheck>;

/** A stable error description carried by events and results. */
export const ErrorInfo = z.object({
  code: z.string(),
  message: z.string(),
  budget: BudgetBreach.optional(),
  gate: GateCheck.optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const RunStartEvent = z.object({
  type: z.literal('run-start'),
  ...base,
  /** The journal's format; absent only in journals written before it was recorded. */
  schemaVersion: z.literal(JOURNAL_SCHEMA_VERSION).optional(),
  /** The workflow as the run was given it (a name, or a YAML file's absolute path), for resume. */
  source: z.string().optional(),
  /** True when this event starts a resumed session of an interrupted run. */
  resumed: z.boolean().optional(),
  /** What the staleness check found in the expertise before the run, kept for the report of a resumed run. */
  staleExpertise: z.array(StaleFinding).optional(),
  /** What preparing the run found but did not stop it: skipped agent files, shadowed agents, tools left out. */
  warnings: z.array(z.string()).optional(),
  workflow: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  model: z.string(),
  provider: z.string(),
  /** One line saying which model plays the agents, and why. */
  banner: z.string(),
  taskCount: z.number().int(),
});
export const PhaseStartEvent = z.object({
  type: z.literal('phase-start'),
  ...base,
  phase: z.string(),
  name: z.string(),
  /** The phase's gate, when it has one, checked before its first task starts. */
  gate: GateCheck.optional(),
});
export const TaskStartEvent = z.object({
  type: z.literal('task-start'),
  ...base,
  phase: z.string(),
  task: z.string(),
  agent: z.string(),
  attempt: z.number().int().positive(),
});
/** Who took an attempt of a task: `in-process`, or a queue worker (`<host>:<pid>`). */
export const TaskAssignEvent = z.object({
  type: z.literal('task-assign'),
  ...base,
  task: z.string(),
  attempt: z.number().int().positive(),
  worker: z.string(),
});
export const TaskRetryEvent = z.object({
  type: z.literal('task-retry'),
  ...base,
  phase: z.string().optional(),
  task: z.string(),
  /** The attempt that will start after the delay. */
  attempt: z.number().int().positive(),
  delayMs: z.number().nonnegative(),
  error: ErrorInfo,
});
export const ToolCallEvent = z.object({
  type: z.literal('tool-call'),
  ...base,
  task: z.string(),
  tool: z.string(),
  ok: z.boolean(),
  /** A short, secret-free description such as the path written. */
  detail: z.string(),
});
/** A model request failed and is sent again after `delayMs` (a 429, a 529, a dropped connection). */
export const ModelRetryEvent = z.object({
  type: z.literal('model-retry'),
  ...base,
  task: z.string(),
  /** The attempt that failed, from 1. */
  attempt: z.number().int().positive(),
  /** HTTP status; 0 for a connection error. */
  status: z.number().int().nonnegative(),
  delayMs: z.number().nonnegative(),
  code: z.string(),
  reason: z.string(),
});
/**
 * A reply that did not end normally, and what the agent loop did about it: one cut at
 * `max_tokens` is asked again with a larger limit, or kept without its cut-off tool call; a
 * paused turn (`pause_turn`) is continued.
 */
export const ReplyRecoverEvent = z.object({
  type: z.literal('reply-recover'),
  ...base,
  task: z.string(),
  reason: z.enum(['max-tokens-raised', 'tool-call-cut', 'pause-continued']),
  /** One line on what was done. */
  detail: z.string(),
});
/** Old tool results cleared from a task's conversation to keep it inside the context window. */
export const ContextCompactEvent = z.object({
  type: z.literal('context-compact'),
  ...base,
  task: z.string(),
  /** `threshold`: the conversation grew past the loop's limit; `window`: the API said the prompt was too long. */
  reason: z.enum(['threshold', 'window']),
  cleared: z.number().int().nonnegative(),
  /** The conversation's estimated size before and after, in tokens. */
  tokensBefore: z.number().int().nonnegative(),
  tokensAfter: z.number().int().nonnegative(),
});
export const ArtifactWriteEvent = z.object({
  type: z.literal('artifact-write'),
  ...base,
  task: z.string(),
  agent: z.string(),
  kind: z.enum(['file', 'note']),
  path: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
});
/** A repository file a task staged for removal (`delete_file`). */
export const ArtifactRemoveEvent = z.object({
  type: z.literal('artifact-remove'),
  ...base,
  task: z.string(),
  agent: z.string(),
  path: z.string(),
});
export const LearningRecordEvent = z.object({
  type: z.literal('learning-record'),
  ...base,
  task: z.string(),
  agent: z.string(),
  insight: z.string(),
  context: z.string().optional(),
  filesAffected: z.array(z.string()),
});
/**
 * What one `run_tests` call saw, recorded by the tool (never by the model): the counts a task's
 * `test-results` are checked against, so a `finish` that claims otherwise is overruled.
 */
export const TestRunEvent = z.object({
  type: z.literal('test-run'),
  ...base,
  task: z.string(),
  ran: z.boolean(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  typecheck: z.object({ ok: z.boolean(), errors: z.number().int().nonnegative() }),
  notRun: z.string().optional(),
  /** The failing tests' names with the first line of each failure (the first 20). */
  failures: z.array(z.string()).default([]),
  /** `none` when the user opted out of the sandbox (`--unsafe-run-tests`). */
  sandbox: z.enum(['bubblewrap', 'none']),
});
export type TestRunEvent = z.infer<typeof TestRunEvent>;
export const TaskEndEvent = z.object({
  type: z.literal('task-end'),
  ...base,
  phase: z.string(),
  task: z.string(),
  agent: z.string(),
  status: TaskStatus,
  durationMs: z.number().nonnegative(),
  usage: Usage,
  model: z.string(),
  /** Attempts made, retries included (0 when the task never started). */
  attempts: z.number().int().nonnegative().optional(),
  result: z.unknown().optional(),
  error: ErrorInfo.optional(),
  /** True when a resume took this result from the journal instead of running the task again. */
  reused: z.boolean().optional(),
});
export const PhaseEndEvent = z.object({
  type: z.literal('phase-end'),
  ...base,
  phase: z.string(),
  status: z.enum(['done', 'failed', 'skipped', 'cancelled']),
  usage: Usage.optional(),
  error: ErrorInfo.optional(),
});
export const RunEndEvent = z.object({
  type: z.literal('run-end'),
  ...base,
  status: RunStatus,
  durationMs: z.number().nonnegative(),
  usage: Usage,
  error: ErrorInfo.optional(),
});

/** A phase with an approval has ended with every task done: a person is asked before anything later starts. */
export const ApprovalRequestEvent = z.object({
  type: z.literal('approval-request'),
  ...base,
  phase: z.string(),
  message: z.string(),
  /** The note or staged file shown with the question, such as `notes/integration-plan.md`. */
  show: z.string().optional(),
});

/** How an answer was given. */
export const ApprovalChannel = z.enum(['terminal', 'command', 'code', 'auto', 'page']);
export type ApprovalChannel = z.infer<typeof ApprovalChannel>;

/** A person's answer to an approval: who, how, when, and what they wrote. */
export const ApprovalDecisionEvent = z.object({
  type: z.literal('approval-decision'),
  ...base,
  phase: z.string(),
  decision: z.enum(['approved', 'rejected']),
  /** Who answered (a name, or `auto` for --yes). */
  by: z.string(),
  via: ApprovalChannel,
  /** A note with the approval, or the reason of a rejection. */
  message: z.string().optional(),
  /** The plan as the person edited it before approving; later tasks work from it. */
  plan: z.string().optional(),
});
export type ApprovalDecisionEvent = z.infer<typeof ApprovalDecisionEvent>;

/**
 * The expertise merge of one domain, recorded so that a resumed run merges its learnings exactly
 * once: `intent` (with the sha256 of the text about to replace expertise.yaml) is made durable
 * before the rename, `done` after it.
 */
export const ExpertiseMergeEvent = z.object({
  type: z.literal('expertise-merge'),
  ...base,
  domain: z.string(),
  stage: z.enum(['intent', 'done']),
  /** The sha256 of the merged expertise.yaml. */
  sha256: z.string(),
  /** The file, relative to the workspace. */
  file: z.string(),
  catalog: z.enum(['added', 'updated', 'unchanged']),
  learningsAdded: z.number().int().nonnegative(),
  learningsReinforced: z.number().int().nonnegative(),
  archived: z.number().int().nonnegative(),
  changes: z.array(ExpertiseChange),
});

/** Every event a run emits, named noun-then-action. The journal is these as JSONL. */
export const RunEvent = z.discriminatedUnion('type', [
  RunStartEvent,
  PhaseStartEvent,
  TaskStartEvent,
  TaskAssignEvent,
  TaskRetryEvent,
  ToolCallEvent,
  ModelRetryEvent,
  ReplyRecoverEvent,
  ContextCompactEvent,
  ArtifactWriteEvent,
  ArtifactRemoveEvent,
  LearningRecordEvent,
  TestRunEvent,
  TaskEndEvent,
  PhaseEndEvent,
  RunEndEvent,
  ExpertiseMergeEvent,
  ApprovalRequestEvent,
  ApprovalDecisionEvent,
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
