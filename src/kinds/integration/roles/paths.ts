import type { ServiceEntry } from '../catalog/schema.js';
import { DEFAULT_STACK, type DetectedStack } from '../stack/detect.js';
import { pathForStack } from '../templates/fit-to-stack.js';
import { webhookRoute } from '../templates/routes.js';

/** The folder of the PostgreSQL tables the generated integrations share. */
export const TABLES = 'src/integrations/persistence/tables';

/** The list of integrations' guides; each run adds its line. */
export const DOCS_INDEX = 'docs/integrations/README.md';

/** The folder the integrations go in: `<source root>/integrations`. */
export function integrationsDir(stack: DetectedStack): string {
  return stack.sourceRoot === '.' ? 'integrations' : `${stack.sourceRoot}/integrations`;
}

/** Where the generated integration's files go: under the repository's source root, following the expertise conventions. */
export function integrationPaths(service: ServiceEntry, stack: DetectedStack = DEFAULT_STACK) {
  const c = service.className;
  const http = service.kind === 'http-api';
  const dir = integrationsDir(stack);
  const tables = `${dir}/persistence/tables`;
  const route = webhookRoute(service, stack, dir)?.[0];
  // `.js` in a JavaScript repository (see fit-to-stack.ts).
  const code = <T extends string | undefined>(file: T): T => (file === undefined ? file : (pathForStack(file, stack) as T));
  return {
    route: code(route),
    client: code(http ? `${dir}/clients/${c}Client.ts` : undefined),
    operations: code(http ? `${dir}/clients/${c}Operations.ts` : undefined),
    connection: code(http ? undefined : `${dir}/connections/${c}Connection.ts`),
    webhook: code(service.webhook ? `${dir}/webhooks/${c}WebhookHandler.ts` : undefined),
    oauth: code(service.oauth2 ? `${dir}/oauth/${c}OAuth.ts` : undefined),
    store: code(`${dir}/persistence/IdempotencyStore.ts`),
    // One file per table, the same for every service, so integrations never rewrite each other's.
    deliveriesTable: `${tables}/webhook_deliveries.sql`,
    eventsTable: `${tables}/integration_events.sql`,
    oauthTable: service.oauth2 ? `${tables}/oauth_tokens.sql` : undefined,
    clientTest: code(http ? `${dir}/__tests__/${c}Client.test.ts` : undefined),
    connectionTest: code(http ? undefined : `${dir}/__tests__/${c}Connection.test.ts`),
    webhookTest: code(service.webhook ? `${dir}/__tests__/${c}WebhookHandler.test.ts` : undefined),
    oauthTest: code(service.oauth2 ? `${dir}/__tests__/${c}OAuth.test.ts` : undefined),
    guide: `docs/integrations/${service.id}.md`,
    docsIndex: DOCS_INDEX,
    runbook: `docs/runbooks/integration-${service.id}.md`,
  };
}

export type IntegrationPaths = ReturnType<typeof integrationPaths>;

export function plannedFiles(service: ServiceEntry, stack: DetectedStack = DEFAULT_STACK): string[] {
  return Object.values(integrationPaths(service, stack)).filter((p): p is string => p !== undefined).concat('.env.example');
}
