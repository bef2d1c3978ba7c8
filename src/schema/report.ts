import { z } from 'zod';
import { ErrorInfo, RunStatus, TaskStatus } from './events.js';
import { StaleFinding } from './expertise.js';
import { SecurityFinding } from './results.js';
import { Usage } from './usage.js';

/** One task's line in the report's timeline. */
export const ReportTask = z.object({
  id: z.string(),
  phase: z.string(),
  agent: z.string(),
  model: z.string(),
  status: TaskStatus,
  durationMs: z.number().nonnegative(),
  usage: Usage,
  /** The queue worker (`<host>:<pid>`) that ran the task's last attempt; absent when it ran in the run's process. */
  worker: z.string().optional(),
  summary: z.string().optional(),
  error: ErrorInfo.optional(),
});
export type ReportTask = z.infer<typeof ReportTask>;

/** The /integrate "Output Format", filled from the run's real results. */
export const IntegrationSection = z.object({
  service: z.string(),
  configuration: z.object({
    endpoint: z.string(),
    authentication: z.string(),
    environmentVariables: z.array(z.string()),
  }),
  capabilities: z.array(z.string()),
  /** How the service limits requests and how the client keeps under it. */
  rateLimits: z.array(z.string()).default([]),
  /** The typed operations and the data they carry. */
  dataTypes: z.array(z.string()).default([]),
  /** The client's timeouts, retries and request rate. */
  performance: z.array(z.string()).default([]),
  /** The metrics the integration emits and when to alert, from the integration specialist's monitoring task. */
  monitoring: z.object({ document: z.string(), metrics: z.array(z.string()), alerts: z.array(z.string()) }).optional(),
  testing: z.object({
    ran: z.boolean(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    testFiles: z.array(z.string()),
    summary: z.string(),
  }),
  security: z.object({ checks: z.array(z.string()), findings: z.array(SecurityFinding), summary: z.string() }),
  documentation: z.array(z.string()),
  usageExamples: z.array(z.string()),
  nextSteps: z.array(z.string()),
});
export type IntegrationSection = z.infer<typeof IntegrationSection>;

/** Who approved (or rejected) what, when, and how. */
export const ReportApproval = z.object({
  phase: z.string(),
  decision: z.enum(['approved', 'rejected']),
  by: z.string(),
  via: z.string(),
  at: z.string(),
  message: z.string().optional(),
  /** True when the person edited the shown plan before approving. */
  editedPlan: z.boolean().optional(),
});
export type ReportApproval = z.infer<typeof ReportApproval>;

/** `pending-commits/<run-id>/report.yaml`. */
export const RunReport = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  workflow: z.string(),
  inputs: z.record(z.string(), z.unknown()),
  status: RunStatus,
  model: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  usage: Usage,
  /** Models the run used whose price is unknown: their tokens count $0, so `usage.costUsd` is a floor. */
  unpricedModels: z.array(z.string()).optional(),
  tasks: z.array(ReportTask),
  stagedFiles: z.array(z.string()),
  learnings: z.number().int().nonnegative(),
  /** Paths the expertise names that the repository no longer has, found before the run. */
  staleExpertise: z.array(StaleFinding).optional(),
  integration: IntegrationSection.optional(),
  /** The approvals answered, in the order they were asked. */
  approvals: z.array(ReportApproval).optional(),
  error: ErrorInfo.optional(),
});
export type RunReport = z.infer<typeof RunReport>;
