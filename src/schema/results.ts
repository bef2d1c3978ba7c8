import { z } from 'zod';

/**
 * Result schemas a task can name in its `result` field. The agent's `finish` call must
 * satisfy the named schema; the engine hands the result to dependent tasks and the report.
 */
export const SummaryResult = z.object({
  summary: z.string().min(1).describe('What was done, in a few sentences'),
});

export const ResearchResult = SummaryResult.extend({
  endpoint: z.string().describe('API base URL'),
  authentication: z.string().describe('Authentication scheme'),
  envVars: z.array(z.string()).describe('Environment variables the integration needs'),
  capabilities: z.array(z.string()).describe('What the integration will be able to do'),
  unknowns: z.array(z.string()).describe('Facts that could not be verified'),
  rateLimits: z.array(z.string()).default([]).describe('How the service limits requests and signals it, one line each'),
  dataTypes: z.array(z.string()).default([]).describe('The main operations and the data they send and return, one line each'),
});

export const TestResult = SummaryResult.extend({
  testFiles: z.array(z.string()),
  ran: z.boolean().describe('Whether the tests were actually executed'),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative().default(0),
  notRun: z.string().optional().describe('Why the tests were not run, when they were not'),
  typecheck: z
    .object({ ok: z.boolean(), errors: z.number().int().nonnegative() })
    .optional()
    .describe('The strict-mode typecheck of the tested files, when it was run'),
});

export const SecurityFinding = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  rule: z.string(),
  message: z.string(),
});
export type SecurityFinding = z.infer<typeof SecurityFinding>;

export const SecurityReviewResult = SummaryResult.extend({
  checks: z.array(z.string()).describe('The checks that were run'),
  findings: z.array(SecurityFinding),
});

export const DocumentationResult = SummaryResult.extend({
  documents: z.array(z.string()),
  usageExamples: z.array(z.string()),
  nextSteps: z.array(z.string()),
});

export const MonitoringResult = SummaryResult.extend({
  document: z.string().describe('The monitoring document written'),
  metrics: z.array(z.string()).describe('The metrics the integration emits, one line each'),
  alerts: z.array(z.string()).describe('Alert thresholds on those metrics, one line each'),
  performance: z.array(z.string()).default([]).describe("Timeouts, retries and request rates of the client's defaults, one line each"),
});

export const RESULT_SCHEMAS = {
  summary: SummaryResult,
  research: ResearchResult,
  'test-results': TestResult,
  'security-review': SecurityReviewResult,
  documentation: DocumentationResult,
  monitoring: MonitoringResult,
} as const;
export type ResultSchemaName = keyof typeof RESULT_SCHEMAS;

export function isResultSchemaName(name: string): name is ResultSchemaName {
  return Object.hasOwn(RESULT_SCHEMAS, name);
}
