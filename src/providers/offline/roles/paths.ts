import type { ServiceEntry } from '../../../catalog/schema.js';

/** Where the generated integration's files go, following the expertise conventions. */
export function integrationPaths(service: ServiceEntry) {
  const c = service.className;
  return {
    client: `src/integrations/clients/${c}Client.ts`,
    webhook: service.webhook ? `src/integrations/webhooks/${c}WebhookHandler.ts` : undefined,
    store: 'src/integrations/persistence/IdempotencyStore.ts',
    schema: 'src/integrations/persistence/schema.sql',
    clientTest: `src/integrations/__tests__/${c}Client.test.ts`,
    webhookTest: service.webhook ? `src/integrations/__tests__/${c}WebhookHandler.test.ts` : undefined,
    guide: `docs/integrations/${service.id}.md`,
    runbook: `docs/runbooks/integration-${service.id}.md`,
  };
}

export function plannedFiles(service: ServiceEntry): string[] {
  return Object.values(integrationPaths(service)).filter((p): p is string => p !== undefined).concat('.env.example');
}
