import type { TaskOutcome } from '../../engine/scheduler.js';
import type { IntegrationSection } from '../../schema/report.js';
import { DocumentationResult, SecurityReviewResult, TestResult } from '../../schema/results.js';
import { MonitoringResult, ResearchResult } from './result-schemas.js';
import type { z } from 'zod';

function resultOf<T extends z.ZodType>(outcomes: readonly TaskOutcome[], name: string, schema: T): z.infer<T> | undefined {
  const outcome = outcomes.find((o) => o.task.result === name && o.status === 'done');
  const parsed = schema.safeParse(outcome?.result);
  return parsed.success ? parsed.data : undefined;
}

/** The /integrate output sections of the run report, from the tasks' results. */
export function integrationSection(service: string, outcomes: readonly TaskOutcome[]): IntegrationSection {
  const research = resultOf(outcomes, 'research', ResearchResult);
  const tests = resultOf(outcomes, 'test-results', TestResult);
  const review = resultOf(outcomes, 'security-review', SecurityReviewResult);
  const docs = resultOf(outcomes, 'documentation', DocumentationResult);
  const monitoring = resultOf(outcomes, 'monitoring', MonitoringResult);
  return {
    service,
    configuration: {
      endpoint: research?.endpoint ?? 'unknown (research did not finish)',
      authentication: research?.authentication ?? 'unknown (research did not finish)',
      environmentVariables: research?.envVars ?? [],
    },
    capabilities: research?.capabilities ?? [],
    rateLimits: research?.rateLimits ?? [],
    dataTypes: research?.dataTypes ?? [],
    performance: monitoring?.performance ?? [],
    ...(monitoring ? { monitoring: { document: monitoring.document, metrics: monitoring.metrics, alerts: monitoring.alerts } } : {}),
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
