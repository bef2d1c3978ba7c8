import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../src/index.js';
import { DEFAULT_STACK } from '../../../src/kinds/integration/stack/detect.js';
import { asLearned } from '../../../src/kinds/integration/stack/probe.js';
import { itNeeding } from '../../helpers/needs.js';
import { tempRepo } from '../../helpers/workspace.js';

describe('the next run acts on what earlier runs learned', () => {
  it('takes the integrations folder and the webhook framework from the learnings', () => {
    const express = { ...DEFAULT_STACK, framework: 'fastify' as const };
    expect(asLearned(express, [{ insight: 'Stripe integration files live in lib/integrations/' }, { insight: 'Stripe webhooks are served by lib/integrations/routes/stripeWebhook.ts (express)' }])).toMatchObject({ sourceRoot: 'lib', framework: 'express' });
    expect(asLearned(DEFAULT_STACK, [{ insight: 'Twilio integration files live in integrations/' }])).toMatchObject({ sourceRoot: '.' });
    expect(asLearned(DEFAULT_STACK, [{ insight: 'Stripe generated tests ran under vitest in the sandbox: 30 passed, 0 failed' }])).toEqual(DEFAULT_STACK);
  });

  itNeeding(['bwrap'], 'a run in a repository whose team put integrations in lib/ writes there, though its sources are in src/', async () => {
    const cwd = tempRepo({
      'package.json': `${JSON.stringify({ name: 'shop', private: true, type: 'module', devDependencies: { vitest: '^4.0.0' } })}\n`,
      'src/app.ts': 'export const app = 1;\n',
      'expertise/integrations/expertise.yaml': [
        'domain: integrations',
        'version: 1.1',
        'learnings:',
        '  - date: 2026-11-01',
        '    insight: Twilio integration files live in lib/integrations/',
        '    service: twilio',
        '',
      ].join('\n'),
    });
    const run = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, approve: 'auto', runtime: { env: {} } });
    expect(run.status).toBe('complete');
    const paths = run.stagedFiles.map((f) => f.path);
    expect(paths).toContain('lib/integrations/clients/StripeClient.ts');
    expect(paths.filter((p) => p.startsWith('src/integrations/'))).toEqual([]);
  }, 300_000);
});
