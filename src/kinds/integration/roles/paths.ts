import type { ServiceEntry } from '../catalog/schema.js';

/** The folder of the PostgreSQL tables the generated integrations share. */
export const TABLES = 'src/integrations/persistence/tables';

/** The list of integrations' guides; each run adds its line. */
export const DOCS_INDEX = 'docs/integrations/README.md';

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
    // One file per table, the same for every service, so integrations never rewrite each other's.
    deliveriesTable: `${TABLES}/webhook_deliveries.sql`,
    eventsTable: `${TABLES}/integration_events.sql`,
    oauthTable: service.oauth2 ? `${TABLES}/oauth_tokens.sql` : undefined,
    clientTest: http ? `src/integrations/__tests__/${c}Client.test.ts` : undefined,
    connectionTest: http ? undefined : `src/integrations/__tests__/${c}Connection.test.ts`,
    webhookTest: service.webhook ? `src/integrations/__tests__/${c}WebhookHandler.test.ts` : undefined,
    oauthTest: service.oauth2 ? `src/integrations/__tests__/${c}OAuth.test.ts` : undefined,
    guide: `docs/integrations/${service.id}.md`,
    docsIndex: DOCS_INDEX,
    runbook: `docs/runbooks/integration-${service.id}.md`,
  };
}

export type IntegrationPaths = ReturnType<typeof integrationPaths>;

export function plannedFiles(service: ServiceEntry): string[] {
  return Object.values(integrationPaths(service)).filter((p): p is string => p !== undefined).concat('.env.example');
}
