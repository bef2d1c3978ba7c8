import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { applyRun } from '../../../src/git/apply-run.js';
import { runWorkflow } from '../../../src/index.js';
import { itNeeding } from '../../helpers/needs.js';
import { REPO_ROOT, tempRepo } from '../../helpers/workspace.js';

/**
 * `integrate stripe` then `apply` on a Next.js (App Router) repository and on a plain CommonJS
 * JavaScript one, created here: the applied tree passes the repository's own typecheck (where it
 * has one) and its own test command, and a signed webhook POSTed on 127.0.0.1 is answered 2xx, a
 * tampered one 4xx.
 *
 * Next.js itself is not installed (next 16.4.6 unpacks to 192 MB, its Linux SWC binary to another
 * 101 MB, plus react and react-dom): the generated App Router handler, `POST(request: Request)`,
 * is called the way Next calls it, with a web Request built from a real node:http request.
 */

const SECRET = 'whsec_test_framework_wiring';
const BODY = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}';
const signature = (body: string, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;

async function post(url: string, body: string, sig: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': sig }, body });
  await response.text();
  return response.status;
}

function withModules(files: Record<string, string>): string {
  const cwd = tempRepo(files);
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
  return cwd;
}

/** A Next.js App Router repository as create-next-app lays it out (without React pages). */
function nextRepository(): string {
  return withModules({
    'package.json': `${JSON.stringify(
      {
        name: 'shop-next',
        private: true,
        scripts: { dev: 'next dev', build: 'next build', test: 'vitest run', typecheck: 'tsc --noEmit' },
        dependencies: { next: '^16.0.0', react: '^19.0.0', 'react-dom': '^19.0.0' },
        devDependencies: { typescript: '^5.9.0', vitest: '^4.0.0', '@types/node': '^22.0.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `{
  "compilerOptions": {
    "target": "ES2017",
    "lib": ["dom", "dom.iterable", "esnext"],
    "skipLibCheck": true,
    "strict": true,
    "noEmit": true,
    "esModuleInterop": true,
    "module": "esnext",
    "moduleResolution": "bundler",
    "resolveJsonModule": true,
    "isolatedModules": true,
    "jsx": "preserve",
    "incremental": true,
    "types": ["node"],
    "paths": { "@/*": ["./src/*"] }
  },
  "include": ["**/*.ts", "**/*.tsx"],
  "exclude": ["node_modules"]
}
`,
    '.gitignore': 'node_modules\n.next\n',
    'src/app/api/health/route.ts': `export function GET(): Response {\n  return Response.json({ ok: true });\n}\n`,
    'src/app/api/health/route.test.ts': `import { expect, it } from 'vitest';\nimport { GET } from './route';\nit('is healthy', async () => expect(await GET().json()).toEqual({ ok: true }));\n`,
  });
}

/** A plain CommonJS JavaScript repository: require and module.exports, tests with node --test. */
function commonJsRepository(): string {
  return withModules({
    'package.json': `${JSON.stringify({ name: 'shop-cjs', version: '1.0.0', main: 'lib/index.js', scripts: { test: 'node --test' } }, null, 2)}\n`,
    '.gitignore': 'node_modules\n',
    'lib/index.js': `'use strict';\nfunction total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\nmodule.exports = { total };\n`,
    'test/index.test.js': `'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { total } = require('../lib/index.js');\ntest('totals', () => assert.equal(total([{ price: 2 }, { price: 3 }]), 5));\n`,
  });
}

async function integrateAndApply(cwd: string) {
  const run = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, approve: 'auto', runtime: { env: {} } });
  expect(run.status).toBe('complete');
  const applied = await applyRun({ workspace: cwd, runId: run.runId });
  expect(applied.outcome).toBe('applied');
  execFileSync('git', ['checkout', '-q', applied.branch], { cwd });
  return { run, plan: readFileSync(path.join(run.runDir, 'notes', 'integration-plan.md'), 'utf8'), testing: run.report.integration?.testing };
}

/** Serves `handle` on 127.0.0.1 and posts a signed and a tampered webhook to `route`. */
async function postSignedAndTampered(handle: (req: IncomingMessage, res: ServerResponse) => void, route: string): Promise<[number, number]> {
  const server = createServer(handle).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${route}`;
  try {
    return [await post(url, BODY, signature(BODY)), await post(url, BODY.replace('pi_1', 'pi_2'), signature(BODY))];
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('integrate stripe, then apply, on a Next.js and a CommonJS repository', () => {
  itNeeding(['bwrap'], 'Next.js App Router: tsc and vitest pass on the applied tree; the route handler answers a signed webhook 2xx, a tampered one 4xx', async () => {
    const cwd = nextRepository();
    const { run, plan } = await integrateAndApply(cwd);
    expect(plan).toContain('TypeScript (CommonJS), sources in src/, Next.js App Router, tests with vitest, npm, relative imports without an extension, aliases @/*');
    const route = 'src/app/api/webhooks/stripe/route.ts';
    expect(run.stagedFiles.map((f) => f.path)).toEqual(expect.arrayContaining([route, 'src/integrations/clients/StripeClient.ts', 'package.json']));
    expect(readFileSync(path.join(cwd, route), 'utf8')).toContain(`from '../../../../../src/integrations/webhooks/StripeWebhookHandler';`);

    const typecheck = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['--noEmit'], { cwd, encoding: 'utf8' });
    expect(typecheck.stdout + typecheck.stderr).toBe('');
    expect(typecheck.status).toBe(0);
    const tests = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/vitest'), ['run'], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/StripeClient\.test\.ts/);

    // The handler as Next calls it: a web Request of the exact bytes received.
    process.env.STRIPE_WEBHOOK_SECRET = SECRET;
    try {
      const module = (await import(/* @vite-ignore */ path.join(cwd, route))) as { POST: (request: Request) => Promise<Response>; runtime: string };
      expect(module.runtime).toBe('nodejs');
      const statuses = await postSignedAndTampered((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
          void module.POST(request).then(async (response) => res.writeHead(response.status).end(await response.text()));
        });
      }, '/api/webhooks/stripe');
      expect(statuses).toEqual([200, 401]);
    } finally {
      delete process.env.STRIPE_WEBHOOK_SECRET;
    }
  }, 600_000);

  itNeeding(['bwrap'], 'CommonJS JavaScript: JavaScript with require is generated, node --test passes on the applied tree; the node:http route answers a signed webhook 2xx, a tampered one 4xx', async () => {
    const cwd = commonJsRepository();
    const { run, plan, testing } = await integrateAndApply(cwd);
    expect(plan).toContain('JavaScript (CommonJS), sources in lib/, no web framework (a plain node:http handler), tests with node:test');
    const staged = run.stagedFiles.map((f) => f.path);
    expect(staged).toEqual(expect.arrayContaining(['lib/integrations/clients/StripeClient.js', 'lib/integrations/routes/stripeWebhook.js', 'lib/integrations/__tests__/StripeClient.test.js']));
    expect(staged.filter((file) => /\.ts$/.test(file))).toEqual([]);
    const client = readFileSync(path.join(cwd, 'lib/integrations/clients/StripeClient.js'), 'utf8');
    expect(client).toContain("require('./StripeOperations')");
    expect(readFileSync(path.join(cwd, 'lib/integrations/clients/StripeOperations.js'), 'utf8')).toContain("require('zod')");
    expect(client).not.toMatch(/^import |: string\b|interface /m);
    expect(readFileSync(path.join(cwd, 'lib/integrations/__tests__/StripeClient.test.js'), 'utf8')).toContain("require('node:test')");
    // The testing agent ran them the repository's way, in the sandbox: node --test over CommonJS.
    expect(testing).toMatchObject({ ran: true, failed: 0 });
    expect(testing?.passed).toBeGreaterThan(10);
    const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.dependencies).toMatchObject({ zod: expect.any(String) });
    expect(pkg.devDependencies).toMatchObject({ expect: expect.any(String) });

    // The repository's own test command, as it runs it.
    const tests = spawnSync(process.execPath, ['--test'], { cwd, encoding: 'utf8' });
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/^# fail 0$/m);
    expect(Number(/^# pass (\d+)$/m.exec(tests.stdout)?.[1])).toBeGreaterThan(10);

    const required = createRequire(path.join(cwd, 'package.json'));
    const { stripeWebhookListener } = required('./lib/integrations/routes/stripeWebhook.js') as { stripeWebhookListener: (handler: unknown) => (req: IncomingMessage, res: ServerResponse) => void };
    const { StripeWebhookHandler } = required('./lib/integrations/webhooks/StripeWebhookHandler.js') as { StripeWebhookHandler: new (...args: unknown[]) => unknown };
    const { InMemoryIdempotencyStore } = required('./lib/integrations/persistence/IdempotencyStore.js') as { InMemoryIdempotencyStore: new () => unknown };
    const statuses = await postSignedAndTampered(stripeWebhookListener(new StripeWebhookHandler(SECRET, new InMemoryIdempotencyStore())), '/webhooks/stripe');
    expect(statuses).toEqual([200, 401]);
  }, 600_000);
});
