import type { ServiceEntry } from '../catalog/schema.js';
import { integrationPaths, TABLES } from '../roles/paths.js';
import { clientSource } from './client.js';
import { operationsSource } from './client-operations.js';
import { clientTestSource } from './client-tests.js';
import { connectionSource, connectionTestSource } from './connection.js';
import { oauthSource, oauthTestSource } from './oauth.js';
import { idempotencyStoreSource, persistenceTables } from './persistence.js';
import { webhookHandlerSource } from './webhook.js';
import { webhookTestSource } from './webhook-tests.js';

type Files = Array<[path: string, content: string]>;

/** What the implement task writes: the client or connection module, webhook handler, OAuth2 module. */
export function implementationFiles(service: ServiceEntry): Files {
  const p = integrationPaths(service);
  const files: Files = [];
  if (p.client) files.push([p.client, clientSource(service)]);
  if (p.operations) files.push([p.operations, operationsSource(service)]);
  if (p.connection) files.push([p.connection, connectionSource(service)]);
  if (p.webhook) files.push([p.webhook, webhookHandlerSource(service)]);
  if (p.oauth) files.push([p.oauth, oauthSource(service)]);
  return files;
}

/** What the persistence task writes. */
export function persistenceFiles(service: ServiceEntry): Files {
  const p = integrationPaths(service);
  return [[p.store, idempotencyStoreSource()], ...persistenceTables(service).map(([table, sql]): [string, string] => [`${TABLES}/${table}.sql`, sql])];
}

/** What the tests task writes. */
export function testFiles(service: ServiceEntry): Files {
  const p = integrationPaths(service);
  const files: Files = [];
  if (p.clientTest) files.push([p.clientTest, clientTestSource(service)]);
  if (p.connectionTest) files.push([p.connectionTest, connectionTestSource(service)]);
  if (p.webhookTest) files.push([p.webhookTest, webhookTestSource(service)]);
  if (p.oauthTest) files.push([p.oauthTest, oauthTestSource(service)]);
  return files;
}

/** Every file the offline model writes for a service's code, by path. */
export function generatedCode(service: ServiceEntry): Files {
  return [...implementationFiles(service), ...persistenceFiles(service), ...testFiles(service)];
}
