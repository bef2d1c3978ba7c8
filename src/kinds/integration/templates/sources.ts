import type { ServiceEntry } from '../catalog/schema.js';
import { integrationPaths, integrationsDir } from '../roles/paths.js';
import { DEFAULT_STACK, type DetectedStack } from '../stack/detect.js';
import { fitToStack } from './fit-to-stack.js';
import { webhookRoute } from './routes.js';
import { clientSource } from './client.js';
import { operationsSource } from './client-operations.js';
import { clientTestSource } from './client-tests.js';
import { connectionSource, connectionTestSource } from './connection.js';
import { oauthSource, oauthTestSource } from './oauth.js';
import { idempotencyStoreSource, persistenceTables } from './persistence.js';
import { webhookHandlerSource } from './webhook.js';
import { webhookTestSource } from './webhook-tests.js';

type Files = Array<[path: string, content: string]>;

/** The paths the templates are written at: TypeScript, fitted to the repository last (see fit-to-stack.ts). */
const typescriptPaths = (service: ServiceEntry, stack: DetectedStack) => integrationPaths(service, { ...stack, language: 'typescript' });

/** What the implement task writes: the client or connection module, webhook handler, OAuth2 module. */
export function implementationFiles(service: ServiceEntry, stack: DetectedStack = DEFAULT_STACK): Files {
  const p = typescriptPaths(service, stack);
  const files: Files = [];
  const route = webhookRoute(service, stack, integrationsDir(stack));
  if (p.client) files.push([p.client, clientSource(service)]);
  if (p.operations) files.push([p.operations, operationsSource(service)]);
  if (p.connection) files.push([p.connection, connectionSource(service)]);
  if (p.webhook) files.push([p.webhook, webhookHandlerSource(service)]);
  if (p.oauth) files.push([p.oauth, oauthSource(service)]);
  if (route) files.push(route);
  return fitToStack(files, stack);
}

/** What the persistence task writes. */
export function persistenceFiles(service: ServiceEntry, stack: DetectedStack = DEFAULT_STACK): Files {
  const tables = `${integrationsDir(stack)}/persistence/tables`;
  return [...fitToStack([[`${integrationsDir(stack)}/persistence/IdempotencyStore.ts`, idempotencyStoreSource()]], stack), ...persistenceTables(service).map(([table, sql]): [string, string] => [`${tables}/${table}.sql`, sql])];
}

/** What the tests task writes. */
export function testFiles(service: ServiceEntry, stack: DetectedStack = DEFAULT_STACK): Files {
  const p = typescriptPaths(service, stack);
  const files: Files = [];
  if (p.clientTest) files.push([p.clientTest, clientTestSource(service)]);
  if (p.connectionTest) files.push([p.connectionTest, connectionTestSource(service)]);
  if (p.webhookTest) files.push([p.webhookTest, webhookTestSource(service)]);
  if (p.oauthTest) files.push([p.oauthTest, oauthTestSource(service)]);
  return fitToStack(files, stack);
}

/** Every file the offline model writes for a service's code, by path. */
export function generatedCode(service: ServiceEntry, stack: DetectedStack = DEFAULT_STACK): Files {
  return [...implementationFiles(service, stack), ...persistenceFiles(service, stack), ...testFiles(service, stack)];
}
