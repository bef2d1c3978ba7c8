import { z } from 'zod';
import { SummaryResult } from '../../schema/results.js';

/**
 * The result schemas only integration workflows name (`result: research`, `result: monitoring`),
 * beside the generic ones of src/schema/results.ts. The kind hands them to the run through
 * `WorkflowKind.resultSchemas`; the report section reads its tasks' results with them.
 */
export const ResearchResult = SummaryResult.extend({
  endpoint: z.string().describe('API base URL'),
  authentication: z.string().describe('Authentication scheme'),
  envVars: z.array(z.string()).describe('Environment variables the integration needs'),
  capabilities: z.array(z.string()).describe('What the integration will be able to do'),
  unknowns: z.array(z.string()).describe('Facts that could not be verified'),
  rateLimits: z.array(z.string()).default([]).describe('How the service limits requests and signals it, one line each'),
  dataTypes: z.array(z.string()).default([]).describe('The main operations and the data they send and return, one line each'),
});

export const MonitoringResult = SummaryResult.extend({
  document: z.string().describe('The monitoring document written'),
  metrics: z.array(z.string()).describe('The metrics the integration emits, one line each'),
  alerts: z.array(z.string()).describe('Alert thresholds on those metrics, one line each'),
  performance: z.array(z.string()).default([]).describe("Timeouts, retries and request rates of the client's defaults, one line each"),
});

/** The integration kind's result schemas, by the name a task gives in `result:`. */
export const INTEGRATION_RESULT_SCHEMAS = {
  research: ResearchResult,
  monitoring: MonitoringResult,
} as const;
