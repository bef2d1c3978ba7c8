import type { RunReport } from '../schema/report.js';

const bullet = (items: readonly string[], empty = 'none') => (items.length ? items.map((i) => `- ${i}`).join('\n') : `- ${empty}`);

/** The report as text: the /integrate "Output Format" for integrations, a task list otherwise. */
export function renderReport(report: RunReport, runDir: string): string {
  const integration = report.integration;
  const cached = report.usage.cacheReadTokens || report.usage.cacheWriteTokens ? ` (cache: ${report.usage.cacheReadTokens} read, ${report.usage.cacheWriteTokens} written)` : '';
  const unpriced = report.unpricedModels?.length ? ` (cost unknown for ${report.unpricedModels.join(', ')}: no price; give one with --price)` : '';
  const usage = `${report.usage.inputTokens} input${cached} + ${report.usage.outputTokens} output tokens, $${report.usage.costUsd.toFixed(4)}${unpriced}`;
  const failed = report.tasks.filter((t) => t.status !== 'done');
  const status =
    report.status === 'complete'
      ? `complete: ${report.tasks.length} tasks done in ${(report.durationMs / 1000).toFixed(1)} s (${usage}, model ${report.model})`
      : `${report.status}${report.error && report.error.code !== 'TASKS_FAILED' ? ` (${report.error.message})` : ''}: ${failed.map((t) => `${t.id} ${t.status}${t.error ? ` (${t.error.message})` : ''}`).join('; ')} (${usage})`;
  const stale = report.staleExpertise ?? [];
  const files = `Staged for review in ${runDir}: ${report.stagedFiles.length} files, ${report.learnings} learnings merged into expertise.${stale.length ? `\nStale expertise (${stale.length}; see orchestrate expertise validate):\n${bullet(stale.slice(0, 10).map((f) => `${f.file} (${f.location}): ${f.message}`))}${stale.length > 10 ? `\n- and ${stale.length - 10} more` : ''}` : ''}`;
  const approvals = (report.approvals ?? []).map(
    (a) => `- ${a.phase}: ${a.decision} by ${a.by} (${a.via}) at ${a.at}${a.editedPlan ? ', plan edited' : ''}${a.message ? `: ${a.message}` : ''}`,
  );
  const approved = approvals.length ? `\nApprovals:\n${approvals.join('\n')}` : '';
  if (!integration) {
    return [`Workflow ${report.status === 'complete' ? 'Complete' : 'Ended'}: ${report.workflow}`, `Status: ${status}${approved}`, files, '', 'Tasks:', ...report.tasks.map((t) => `- ${t.id} (${t.agent}): ${t.status}${t.summary ? `: ${t.summary}` : ''}`)].join('\n');
  }
  const tests = integration.testing;
  const findings = integration.security.findings;
  return `${report.status === 'complete' ? 'Integration Complete' : 'Integration Incomplete'}: ${integration.service}

Status: ${status}${approved}
${files}

Configuration:
- Endpoint: ${integration.configuration.endpoint}
- Authentication: ${integration.configuration.authentication}
- Environment variables: ${integration.configuration.environmentVariables.join(', ') || 'none'}

Capabilities:
${bullet(integration.capabilities)}
${integration.rateLimits.length ? `\nRate Limits:\n${bullet(integration.rateLimits)}\n` : ''}${integration.dataTypes.length ? `\nData Types:\n${bullet(integration.dataTypes)}\n` : ''}${integration.performance.length ? `\nPerformance:\n${bullet(integration.performance)}\n` : ''}
Testing Results:
- ${tests.ran ? `${tests.passed} passed, ${tests.failed} failed` : 'not run'}: ${tests.summary}
${bullet(tests.testFiles, 'no test files')}

Security Review:
- ${integration.security.summary} (${integration.security.checks.length} checks)
${findings.map((f) => `- ${f.severity} ${f.file}:${f.line} ${f.rule}: ${f.message}`).join('\n')}

${integration.monitoring ? `Monitoring (${integration.monitoring.document}):\n${bullet(integration.monitoring.metrics.map((m) => `metric ${m}`))}\n${bullet(integration.monitoring.alerts.map((a) => `alert when ${a}`))}\n\n` : ''}Documentation:
${bullet(integration.documentation)}

Usage Examples:
${bullet(integration.usageExamples)}

Next Steps:
${bullet(integration.nextSteps)}
`.replace(/\n\n\n+/g, '\n\n');
}
