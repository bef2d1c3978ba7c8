import { z } from 'zod';
import { AgentDefinition } from './agent.js';
import { ErrorInfo, TestRunEvent } from './events.js';
import { SecretFinding, StagedFile } from './manifest.js';
import { Usage } from './usage.js';
import { Budget } from './workflow.js';
import { Limits } from './limits.js';

/**
 * The version of the executor protocol: the task an executor is given and the result it returns.
 * A queue job carries it; a worker refuses a job of another version (and fails it, without
 * retrying) rather than guess at it.
 */
export const TASK_SPEC_VERSION = 1;

/** The expertise excerpt a task's agent is given, parsed (what the offline model plays from). */
export const ExpertiseExcerpt = z.object({
  catalogEntry: z.record(z.string(), z.unknown()).optional(),
  learnings: z.array(z.object({ insight: z.string(), context: z.string().optional(), seen: z.number().optional() })),
  conventions: z.array(z.string()),
});

/**
 * One attempt of an agent task, as plain JSON: everything an executor needs, in this process or
 * on a worker elsewhere. Nothing in it refers to the run's memory.
 */
export const TaskSpec = z.object({
  schemaVersion: z.number().int(),
  runId: z.string().min(1),
  workflow: z.string(),
  /** The workflow's kind (`integration`), which gives the offline model its roles and names the secret variables. */
  kind: z.string().optional(),
  task: z.object({ id: z.string().min(1), phase: z.string(), agent: z.string() }),
  /** 1 for the first attempt. With the run and task ids, what makes a queue job's id. */
  attempt: z.number().int().positive(),
  agent: AgentDefinition,
  /** The system prompt's parts, the stable part first. */
  system: z.array(z.string()),
  /** The rendered task prompt. */
  prompt: z.string(),
  /** The name of the result schema `finish` must satisfy (see src/schema/results.ts). */
  resultSchema: z.string(),
  inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The results of the tasks this one needs, by task id. */
  needs: z.record(z.string(), z.unknown()),
  expertise: ExpertiseExcerpt,
  /** Who plays the agent: the provider the run chose, and a model override for every agent. */
  model: z.object({ provider: z.string().min(1), override: z.string().optional() }),
  /** The API's server-side web search and fetch for this task, when it has them (a research task on Claude). */
  research: z.object({ maxUses: z.number().int().positive(), allowedDomains: z.array(z.string()) }).optional(),
  /** The task's budget; the run charges usage events against it and aborts the attempt when crossed. */
  budget: Budget.optional(),
  limits: z.object({
    timeoutMs: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
    /** The user let `run_tests` run without an OS sandbox where none exists (`--unsafe-run-tests`). */
    unsafeRunTests: z.boolean().optional(),
    /** The caps in force (the agent's over the workflow's over the defaults). @default DEFAULT_LIMITS */
    caps: Limits.optional(),
    /** Bytes the run had staged when the attempt was dispatched, counted against `caps.stagedBytesPerRun`. */
    stagedBytesOfRun: z.number().int().nonnegative().optional(),
  }),
  /**
   * The repository to read: its real path on the run's host, and that host. A worker that cannot
   * read that path (another host, or `--isolated`) fetches `base.commit` from `base.url` instead.
   */
  workspace: z.object({
    path: z.string(),
    host: z.string(),
    /** The run's base commit and a git URL it can be fetched from; absent when the workspace has no commit. */
    base: z.object({ commit: z.string(), url: z.string() }).optional(),
  }),
  /**
   * What the task sees of the run's staging: the files and removals of itself and the tasks it
   * needs, with the run folder they are staged in (read on the same host).
   */
  staging: z.object({
    runDir: z.string(),
    files: z.array(StagedFile),
    removed: z.array(z.string()),
    /** The files' contents by path, for an executor that cannot read the run folder (a queue worker): read instead of it. */
    contents: z.record(z.string(), z.string()).optional(),
  }),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

/** A file a task staged, with its contents: the run writes it into its staging area. */
export const StagedWrite = z.object({ path: z.string().min(1), content: z.string() });

/** A learning as the agent recorded it; the run adds provenance. */
export const RecordedLearning = z.object({ insight: z.string(), context: z.string().optional(), files_affected: z.array(z.string()) });

/**
 * What an executor returns for an attempt, as plain JSON. The run applies it: it stages the
 * writes and removals, scans and keeps the learnings, and records the outcome once.
 */
export const TaskResult = z.object({
  outcome: z.enum(['done', 'failed']),
  /** The structured result `finish` gave, when done. */
  result: z.unknown().optional(),
  error: ErrorInfo.optional(),
  usage: Usage,
  model: z.string(),
  /** What the attempt staged, the last write or removal of each path, in the order made. */
  writes: z.array(StagedWrite),
  removals: z.array(z.string()),
  learnings: z.array(RecordedLearning),
  /** What each `run_tests` call saw, in order: the run records them and overrules a test result with the last. */
  testRuns: z.array(TestRunEvent.omit({ type: true, runId: true, at: true, task: true })).default([]),
  /** Learnings the executor refused because they held a secret: the hits, never the text. */
  findings: z.array(SecretFinding),
  /** Who ran it: `in-process`, or the queue worker's name. */
  worker: z.string(),
});
export type TaskResult = z.infer<typeof TaskResult>;

/** Progress an executor reports while an attempt runs. Usage is charged against the budgets. */
export const ExecutorEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), worker: z.string() }),
  z.object({ type: z.literal('usage'), usage: Usage }),
  z.object({ type: z.literal('tool-call'), at: z.string(), tool: z.string(), ok: z.boolean(), detail: z.string() }),
]);
export type ExecutorEvent = z.infer<typeof ExecutorEvent>;
