import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { requireService } from '../../src/kinds/integration/catalog/catalog.js';
import { implementationFiles, persistenceFiles } from '../../src/kinds/integration/templates/sources.js';
import { REPO_ROOT } from '../helpers/workspace.js';

/** A webhook delivery as the generated handler receives it. */
export interface Request {
  url: string;
  headers: Record<string, string>;
  rawBody: string;
}

export interface Vector {
  name: string;
  request: Request;
  valid: boolean;
}

export type Handler = { verify(request: Request): Promise<boolean> };

export const nowS = () => Math.floor(Date.now() / 1000);
/** Changes one character of a body, so a signature over the original no longer matches. */
export const tamper = (body: string) => body.replace(/[a-z0-9]/, (c) => (c === 'a' ? 'b' : 'a'));

/**
 * Generates each service's webhook handler and idempotency store into a scratch tree (with the
 * project's node_modules linked) for the suite, and returns a function that constructs one.
 */
export function generatedHandlers(services: readonly string[]): (service: string, secret: string) => Promise<Handler> {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-verifiers-'));
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    for (const service of services) {
      const entry = requireService(service);
      for (const [file, content] of [...implementationFiles(entry), ...persistenceFiles(entry)]) {
        mkdirSync(path.dirname(path.join(dir, service, file)), { recursive: true });
        writeFileSync(path.join(dir, service, file), content);
      }
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  return async (service, secret) => {
    const entry = requireService(service);
    const file = path.join(dir, service, `src/integrations/webhooks/${entry.className}WebhookHandler.ts`);
    const module = (await import(/* @vite-ignore */ file)) as Record<string, new (secret: string, store: unknown) => Handler>;
    const store = await import(/* @vite-ignore */ path.join(dir, service, 'src/integrations/persistence/IdempotencyStore.ts'));
    return new module[`${entry.className}WebhookHandler`]!(secret, new store.InMemoryIdempotencyStore());
  };
}
