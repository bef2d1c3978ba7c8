import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/run/run-workflow.js';
import { ScriptedExecutor } from '../../src/testing/scripted-executor.js';
import { tempRepo } from '../helpers/workspace.js';
import { executorConformance, scripts } from './conformance.js';

describe('executor conformance: scripted', () => {
  executorConformance({ start: async () => undefined, executor: (scenario, hooks) => new ScriptedExecutor(scripts(scenario, hooks)), stop: async () => undefined });
});

const WORKFLOW = `name: one
description: one task
phases:
  - id: only
    name: Only
    tasks:
      - id: write
        agent: integration-specialist
        prompt: Write it.
`;

describe('the run does not trust a result more than an agent', () => {
  for (const [path, why] of [
    ['.git/config', 'protected'],
    ['../outside.ts', 'outside'],
    ['pending-commits/x/files/a.ts', 'protected'],
    ['src//a.ts', 'not a normalised'],
  ] as const) {
    it(`a result staging "${path}" fails its task (${why}) and stages nothing`, async () => {
      const cwd = tempRepo({ 'workflows/one.yaml': WORKFLOW });
      const executor = new ScriptedExecutor({ write: [{ writes: [{ path: 'src/ok.ts', content: 'ok' }, { path, content: 'x' }], result: { summary: 'done' } }] });
      const result = await runWorkflow({ workflow: 'one', cwd, executor });
      expect(result.status).toBe('failed');
      expect(result.report.tasks[0]).toMatchObject({ status: 'failed', error: { code: 'PATH_REFUSED' } });
      expect(result.stagedFiles).toEqual([]);
    });
  }
});
