import { z } from 'zod';

/**
 * Result schemas a task of any workflow can name in its `result` field. The agent's `finish` call
 * must satisfy the named schema; the engine hands the result to dependent tasks and the report.
 * A workflow kind adds its own (`WorkflowKind.resultSchemas`: `research` and `monitoring` for
 * `integration`, in src/kinds/integration/result-schemas.ts), which only its workflows can name.
 */
export const SummaryResult = z.object({
  summary: z.string().min(1).describe('What was done, in a few sentences'),
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

export const RESULT_SCHEMAS = {
  summary: SummaryResult,
  'test-results': TestResult,
  'security-review': SecurityReviewResult,
  documentation: DocumentationResult,
} as const;
export type ResultSchemaName = keyof typeof RESULT_SCHEMAS;

/** Result schemas by the name a task gives in `result:`. */
export type ResultSchemas = Readonly<Record<string, z.ZodType>>;

export function isResultSchemaName(name: string): name is ResultSchemaName {
  return Object.hasOwn(RESULT_SCHEMAS, name);
}
