import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import { ScriptedModel } from '../../src/testing/index.js';
import { STRIPE_LIVE } from '../helpers/planted-secrets.js';
import { tempRepo } from '../helpers/workspace.js';
import { readManifestJson } from '../git/run-fixture.js';

const WORKFLOW = `name: scribe
description: one agent writes a file and records learnings
domains: [integrations]
inputs:
  service:
    type: string
phases:
  - id: work
    name: Work
    tasks:
      - id: write
        agent: scribe
        prompt: Write the client and record what you learned.
`;

const AGENT = `---
name: scribe
description: writes files and records learnings
tools: write_file, record_learning
model: inherit
---
You write files.
`;

describe('the secret scan during a run', () => {
  it('drops a learning with a secret (the agent is told why), merges the clean one, and warns of and records a staged file hit', async () => {
    const repo = tempRepo({ 'workflows/scribe.yaml': WORKFLOW, 'agents/scribe.md': AGENT, 'README.md': '# demo\n' });
    const toolResults: string[] = [];
    const model = new ScriptedModel({
      write: [
        ScriptedModel.call('record_learning', { insight: `The live key ${STRIPE_LIVE} works for refunds in production.` }),
        (request) => {
          toolResults.push(JSON.stringify(request.messages.at(-1)));
          return ScriptedModel.call('record_learning', { insight: 'Refunds need the charge id, not the payment intent id.' }) as never;
        },
        ScriptedModel.call('write_file', { path: 'src/billing.ts', content: `// billing\nexport const key = '${STRIPE_LIVE}';\n` }),
        (request) => {
          toolResults.push(JSON.stringify(request.messages.at(-1)));
          return ScriptedModel.finish({ summary: 'wrote the client' }) as never;
        },
      ],
    });

    const result = await runWorkflow({ workflow: 'scribe', inputs: { service: 'acme' }, cwd: repo, modelInstance: model, runtime: { env: {} } });

    expect(result.status).toBe('complete');
    expect(toolResults[0]).toContain('learning not recorded');
    expect(toolResults[0]).not.toContain(STRIPE_LIVE);
    expect(toolResults[1]).toContain('staged file src/billing.ts');
    expect(toolResults[1]).toContain('WARNING: the secret scan found line 2: orchestrate/stripe-live-key');
    expect(toolResults[1]).not.toContain(STRIPE_LIVE);
    const expertise = readFileSync(path.join(repo, 'expertise/integrations/expertise.yaml'), 'utf8');
    expect(expertise).toContain('Refunds need the charge id');
    expect(expertise).not.toContain(STRIPE_LIVE);
    expect(readFileSync(path.join(result.runDir, 'journal.jsonl'), 'utf8')).not.toContain(STRIPE_LIVE);

    const manifest = readManifestJson(result.runDir);
    expect(manifest.findings).toEqual([
      expect.objectContaining({ source: 'file', path: 'src/billing.ts', line: 2, rule: 'orchestrate/stripe-live-key' }),
      expect.objectContaining({ source: 'learning', path: 'learning (task write)', rule: 'orchestrate/stripe-live-key' }),
    ]);
    expect(JSON.stringify(manifest)).not.toContain(STRIPE_LIVE);
    expect(result.reportText).toContain('orchestrate apply is blocked');
    expect(result.reportText).toContain('src/billing.ts:2:');
  });
});
