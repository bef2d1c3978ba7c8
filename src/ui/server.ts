import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../runtime/runtime.js';
import { runsDir } from '../staging/run-folder.js';
import { uiApp } from './app.js';
import { RunWatch } from './run-watch.js';

export interface UiServerOptions {
  workspace: string;
  /** @default 127.0.0.1; anything else is a remote binding, only when asked for. */
  host?: string;
  /** @default 0: a free port chosen by the system. */
  port?: number;
  env: Readonly<Record<string, string | undefined>>;
  by: string;
  log: (line: string) => void;
}

export interface UiServer {
  /** The page's address, with the per-launch token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the page: `@hono/node-server` over node:http, the routes in app.ts, the page's static
 * files from the package's `ui/` folder (no build step). A port in use is a one-line user error.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(24).toString('base64url');
  const watch = new RunWatch(runsDir(options.workspace));
  const app = uiApp({ workspace: options.workspace, token, assets: path.join(PACKAGE_ROOT, 'ui'), watch, env: options.env, by: options.by, log: options.log });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UserError('PORT_IN_USE', `port ${options.port} on ${host} is in use; choose another with --port, or leave it out for a free one`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UserError('BAD_HOST', `cannot listen on ${host}: it is not an address of this machine`));
      else reject(error);
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  if (!isLoopback(host)) {
    options.log(`warning: listening on ${host}, so other machines can reach the page; anyone who has its URL (the token) can approve, apply and discard runs. Leave out --host to keep it on this machine`);
  }
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        watch.close();
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Addresses only this machine reaches: 127.0.0.0/8, ::1, localhost. Anything else gets a warning. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
