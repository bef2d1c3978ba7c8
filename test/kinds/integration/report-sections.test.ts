import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runWorkflow } from '../../../src/index.js';
import { findService } from '../../../src/kinds/integration/catalog/catalog.js';
import { itNeeding } from '../../helpers/needs.js';
import { tempRepo } from '../../helpers/workspace.js';

/**
 * The /integrate Output Format, on real offline runs: the report's rate limits, data types and
 * performance lines, the monitoring section the integration specialist writes in phase 5, the
 * service's own runbook, and next steps naming test-integration and logs. Each is checked
 * against the service's catalog facts, so a line written for another service fails.
 */
describe('an integrate run reports and documents what the Output Format asks, for its service', () => {
  for (const [id, other] of [['stripe', 'Twilio'], ['twilio', 'Stripe']] as const) {
    itNeeding(['bwrap'], `${id}: rate limits, data types, performance, monitoring, runbook and next steps`, async () => {
      const service = findService(id)!;
      const cwd = tempRepo();
      const run = await runWorkflow({ workflow: 'integrate', inputs: { service: id }, cwd, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(run.status).toBe('complete');
      const section = run.report.integration!;
      const staged = (repoPath: string) => readFileSync(path.join(run.runDir, 'files', 'node_modules', ...repoPath.split('/')), 'utf8');

      // Rate limits: every signal the catalog knows for this service.
      for (const signal of service.rateLimit.signals) expect(section.rateLimits.join('\n')).toContain(signal);
      // Data types: one line per typed operation of the generated client, with its method and path.
      const operations = service.http!.operations;
      expect(section.dataTypes).toHaveLength(operations.length);
      for (const op of operations) expect(section.dataTypes.some((line) => line.startsWith(`${op.name}: ${op.method} `))).toBe(true);
      // Performance: the client's timeout, retries and request rate.
      expect(section.performance.join('\n')).toMatch(/timeoutMs/);
      expect(section.performance.join('\n')).toMatch(/maxAttempts/);
      if (service.rateLimit.requestsPerSecond) expect(section.performance.join('\n')).toContain(`${service.rateLimit.requestsPerSecond} requests/s`);

      // Monitoring: written by the integration specialist in phase 5, staged, with metrics and alerts.
      const monitoringTask = run.report.tasks.find((t) => t.id === 'monitoring');
      expect(monitoringTask).toMatchObject({ agent: 'integration-specialist', phase: 'documentation-monitoring', status: 'done' });
      const monitoring = section.monitoring!;
      expect(monitoring.document).toBe(`docs/integrations/${id}-monitoring.md`);
      expect(run.stagedFiles.map((f) => f.path)).toContain(monitoring.document);
      expect(monitoring.metrics.join('\n')).toMatch(/`request`.*operation and status/);
      expect(monitoring.metrics.join('\n')).toMatch(/`retry`/);
      expect(monitoring.alerts.length).toBeGreaterThanOrEqual(3);
      expect(monitoring.alerts.join('\n')).toMatch(/\d+%.*over \d+ minutes/);
      const webhookSecret = service.envVars.find((v) => v.secret && /WEBHOOK|AUTH_TOKEN/.test(v.name))?.name;
      if (service.webhook && webhookSecret) expect(monitoring.alerts.join('\n')).toContain(webhookSecret);
      expect(staged(monitoring.document)).toContain(service.name);

      // The runbook: this service's procedures, naming its own variables and console.
      const runbook = staged(`docs/runbooks/integration-${id}.md`);
      expect(runbook).toContain(`# Runbook: ${service.name} integration`);
      expect(runbook).toMatch(new RegExp(`Replay a webhook: resend the delivery from the ${service.name} console`));
      const secrets = service.envVars.filter((v) => v.secret).map((v) => `\`${v.name}\``);
      expect(runbook).toContain(`Rotate a secret: create the new ${secrets.join(', ')} in the ${service.name} console`);
      expect(runbook).toMatch(/- (Refresh tokens|Tokens): /);
      expect(runbook).toContain(`Disable the integration:`);
      expect(runbook).toContain(`orchestrate remove-integration ${id}`);
      expect(runbook).not.toContain(other);

      // Next steps name the commands that follow a run.
      expect(section.nextSteps.some((step) => step.includes(`orchestrate test-integration ${id}`))).toBe(true);
      expect(section.nextSteps.some((step) => step.includes('orchestrate logs'))).toBe(true);
      // And the printed report carries them.
      expect(run.reportText).toContain(`orchestrate test-integration ${id}`);
    }, 300_000);
  }
});
