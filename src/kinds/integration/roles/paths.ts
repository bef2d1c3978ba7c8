import type { ServiceEntry } from '../catalog/schema.js';

/** Where the generated integration's files go, following the expertise conventions. */
export function integrationPaths(service: ServiceEntry) {
  const c = service.className;
  const http = service.kind === 'http-api';
  return {
    client: http ? `src/integrations/clients/${c}Client.ts` : undefined,
    operations: http ? `src/integrations/clients/${c}Operations.ts` : undefined,
    connection: http ? undefined : `src/integrations/connections/${c}Connection.ts`,
    webhook: service.webhook ? `src/integrations/webhooks/${c}WebhookHandler.ts` : undefined,
    oauth: service.oauth2 ? `src/integrations/oauth/${c}OAuth.ts` : undefined,
    store: 'src/integrations/persistence/IdempotencyStore.ts',
    schema: 'src/integrations/persistence/schema.sql',
    clientTest: http ? `src/integrations/__tests__/${c}Client.test.ts` : undefined,
    connectionTest: http ? undefined : `src/integrations/__tests__/${c}Connection.test.ts`,
    webhookTest: service.webhook ? `src/integrations/__tests__/${c}WebhookHandler.test.ts` : undefined,
    oauthTest: service.oauth2 ? `src/integrations/__tests__/${c}OAuth.test.ts` : undefined,
    guide: `docs/integrations/${service.id}.md`,
    runbook: `docs/runbooks/integration-${service.id}.md`,
  };
}

export type IntegrationPaths = ReturnType<typeof integrationPaths>;

export function plannedFiles(service: ServiceEntry): string[] {
  return Object.values(integrationPaths(service)).filter((p): p is string => p !== undefined).concat('.env.example');
}
