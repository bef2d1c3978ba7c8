import { requireService } from './catalog/catalog.js';
import type { ServiceEntry } from './catalog/schema.js';
import { describeStack, type DetectedStack } from './stack/detect.js';

/**
 * What an agent (Claude) is told about the service and the repository before it starts: the
 * catalog's facts, each marked UNVERIFIED where the catalog is not sure, and the detected stack.
 *
 * @example
 * const text = integrationBriefing('stripe', await readStack(workspace));
 */
export function integrationBriefing(service: string | ServiceEntry, stack?: DetectedStack): string {
  const entry = typeof service === 'string' ? requireService(service) : service;
  const mark = (confidence: string) => (confidence === 'unverified' ? ' (UNVERIFIED)' : '');
  const lines = [
    `# ${entry.name}: facts from the service catalog`,
    `- API base: ${entry.api.baseUrl}${mark(entry.api.confidence)}`,
    `- Auth: ${entry.auth.description}${mark(entry.auth.confidence)}`,
    `- Environment variables: ${entry.envVars.map((v) => `${v.name}${v.secret ? ' (secret)' : ''}`).join(', ')}`,
    `- Rate limits: ${entry.rateLimit.signals.join('; ')}${mark(entry.rateLimit.confidence)}`,
    ...(entry.http
      ? [
          `- Operations: ${entry.http.operations.map((op) => `${op.name} = ${op.method} ${op.path}${mark(op.confidence)}`).join('; ')}`,
          `- Retries: ${entry.http.idempotency ? `side effects carry ${'header' in entry.http.idempotency ? entry.http.idempotency.header : entry.http.idempotency.bodyField}, the same on every attempt` : 'no idempotency key: never retry a side effect after a timeout or a 5xx'}`,
        ]
      : []),
    ...(entry.webhook
      ? [`- Webhooks: ${entry.webhook.signatureHeader}, ${entry.webhook.algorithm}, signed content ${entry.webhook.signedContent}, ${entry.webhook.encoding}${mark(entry.webhook.confidence)}`]
      : []),
    ...entry.unverified.map((u) => `- UNVERIFIED: ${u}`),
    ...(stack ? ['', `# The repository`, `- ${describeStack(stack)}`, ...(stack.testCommand ? [`- Tests run with: ${stack.testCommand}`] : [])] : []),
  ];
  return `${lines.join('\n')}\n`;
}
