import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, symlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { applyRun } from '../../../src/git/apply-run.js';
import { runWorkflow } from '../../../src/index.js';
import { itNeeding } from '../../helpers/needs.js';
import { REPO_ROOT, tempRepo } from '../../helpers/workspace.js';

/**
 * `integrate stripe` then `apply` on a repository of each framework, created here: the applied
 * tree passes the repository's own typecheck and tests, and a signed webhook POSTed through the
 * real framework on 127.0.0.1 is answered 2xx, a tampered one 4xx.
 */

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] },
  include: ['src'],
});

function repository(framework: 'express' | 'fastify'): string {
  const server =
    framework === 'express'
      ? `import express from 'express';\nexport const app = express();\napp.get('/health', (_req, res) => void res.send('ok'));\n`
      : `import Fastify from 'fastify';\nexport const app = Fastify();\napp.get('/health', async () => 'ok');\n`;
  const cwd = tempRepo({
    'package.json': `${JSON.stringify(
      {
        name: `shop-${framework}`,
        private: true,
        type: 'module',
        scripts: { test: 'vitest run', typecheck: 'tsc -p tsconfig.json' },
        dependencies: { [framework]: '^5.0.0' },
        devDependencies: { typescript: '^5.9.0', vitest: '^4.0.0', '@types/node': '^22.0.0', ...(framework === 'express' ? { '@types/express': '^5.0.0' } : {}) },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': TSCONFIG,
    '.gitignore': 'node_modules\n',
    'src/server.ts': server,
    'src/server.test.ts': `import { expect, it } from 'vitest';\nimport { app } from './server.js';\nit('has an app', () => expect(app).toBeDefined());\n`,
  });
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
  return cwd;
}

const SECRET = 'whsec_test_framework_wiring';
const BODY = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1"}}}';
const signature = (body: string, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;

async function post(base: string, body: string, sig: string): Promise<number> {
  const response = await fetch(`${base}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': sig }, body });
  await response.text();
  return response.status;
}

describe('integrate stripe, then apply, wired into the repository\'s framework', () => {
  for (const framework of ['express', 'fastify'] as const) {
    itNeeding(['bwrap'], `${framework}: the tree typechecks and tests pass; a signed webhook through ${framework} is 2xx, a tampered one 4xx`, async () => {
      const cwd = repository(framework);
      const run = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, approve: 'auto', runtime: { env: {} } });
      expect(run.status).toBe('complete');
      const plan = readFileSync(path.join(run.runDir, 'notes', 'integration-plan.md'), 'utf8');
      expect(plan).toContain(`TypeScript (ESM), sources in src/, ${framework}, tests with vitest`);
      const route = `src/integrations/routes/stripeWebhook.ts`;
      expect(run.stagedFiles.map((f) => f.path)).toEqual(expect.arrayContaining([route, 'package.json']));

      const applied = await applyRun({ workspace: cwd, runId: run.runId });
      expect(applied.outcome).toBe('applied');
      execFileSync('git', ['checkout', '-q', applied.branch], { cwd });
      const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
      expect(pkg.dependencies).toMatchObject({ zod: expect.any(String), [framework]: '^5.0.0' });
      expect(pkg.scripts['integration:stripe:test']).toBe('vitest run src/integrations/__tests__/Stripe');

      // The repository's own typecheck and test commands, as it runs them.
      const typecheck = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd, encoding: 'utf8' });
      expect(typecheck.stdout + typecheck.stderr).toBe('');
      expect(typecheck.status).toBe(0);
      const tests = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/vitest'), ['run'], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
      expect(tests.status, tests.stdout + tests.stderr).toBe(0);

      // The generated route, served by the real framework on 127.0.0.1.
      const module = (await import(/* @vite-ignore */ path.join(cwd, route))) as Record<string, (...args: unknown[]) => unknown>;
      const handlers = (await import(/* @vite-ignore */ path.join(cwd, 'src/integrations/webhooks/StripeWebhookHandler.ts'))) as { StripeWebhookHandler: new (...args: unknown[]) => unknown };
      const store = (await import(/* @vite-ignore */ path.join(cwd, 'src/integrations/persistence/IdempotencyStore.ts'))) as { InMemoryIdempotencyStore: new () => unknown };
      const handler = new handlers.StripeWebhookHandler(SECRET, new store.InMemoryIdempotencyStore());
      let base: string;
      let close: () => Promise<void>;
      if (framework === 'express') {
        const { default: express } = await import('express');
        const app = express();
        app.use(module.stripeWebhookRouter!(handler) as ReturnType<typeof express.Router>);
        const server = app.listen(0, '127.0.0.1');
        await new Promise((resolve) => server.once('listening', resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        close = () => new Promise((resolve) => server.close(() => resolve()));
      } else {
        const { default: Fastify } = await import('fastify');
        const app = Fastify();
        await app.register(module.stripeWebhookRoutes as never, { handler });
        base = await app.listen({ port: 0, host: '127.0.0.1' });
        close = () => app.close();
      }
      try {
        expect(await post(base, BODY, signature(BODY))).toBe(200);
        expect(await post(base, BODY.replace('pi_1', 'pi_2'), signature(BODY))).toBe(401);
      } finally {
        await close();
      }
    }, 600_000);
  }
});
