import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRunId, prepareRun } from '../../src/index.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { orchestrate, copyWorkspace, seededTemplate, runDirOf } from '../durability/harness.js';
import { runCli } from '../helpers/cli.js';
import { offlineEnv, runFolders, tempRepo, writeTree } from '../helpers/workspace.js';

/** One preparation of a run for every entry point: the bugs its old copies had. */
describe('one way to prepare a run', () => {
  it('integrate custom-api <url> --dry-run plans like the real run (the url reaches the catalog check)', () => {
    const cwd = tempRepo();
    const result = runCli(['integrate', 'custom-api', 'https://api.example.com/v1', '--dry-run'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Inputs: service=custom-api url=https:\/\/api\.example\.com\/v1/);
    expect(runFolders(cwd)).toEqual([]);
  });

  it('--dry-run marks a model whose price it does not know instead of showing $0', () => {
    const cwd = tempRepo();
    const result = runCli(['integrate', 'twilio', '--dry-run', '--provider', 'anthropic', '--model', 'my-gateway-model'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/my-gateway-model.*price unknown/);
    expect(result.stdout).toMatch(/no price known for my-gateway-model/);
    expect(result.stdout).not.toMatch(/~\$0\b/);
  });

  it('a custom workflow input named service is not checked against the integration catalog', async () => {
    const cwd = tempRepo();
    writeTree(cwd, {
      'workflows/deploy.yaml': `name: deploy\ndescription: d\ninputs:\n  service:\n    type: string\nphases:\n  - id: a\n    name: A\n    tasks:\n      - id: t\n        agent: research-manager\n        prompt: "Plan the deploy of {{inputs.service}}"\n`,
    });
    const prepared = await prepareRun({ workflow: 'deploy', inputs: { service: 'billing-api' }, workspace: cwd, runtime: createRuntime({ env: {} }), provider: 'offline' });
    expect(prepared.kind.subject).toBeUndefined();
    expect(prepared.plan.inputs.service).toBe('billing-api');
    // The integrate workflow's service still is.
    await expect(prepareRun({ workflow: 'integrate', inputs: { service: 'twillio' }, workspace: cwd, runtime: createRuntime({ env: {} }), provider: 'offline' })).rejects.toMatchObject({
      code: 'UNKNOWN_SERVICE',
    });
    const run = runCli(['run', 'deploy', '--input', 'service=billing-api', '--quiet'], cwd);
    expect(run.code, run.stderr).toBe(0);
  });

  it('resume last finds the run the way show last does', async () => {
    const template = await seededTemplate();
    const cwd = copyWorkspace(template);
    try {
      const env = offlineEnv({ NO_COLOR: '1' });
      const crash = await orchestrate(['integrate', 'twilio', '--quiet'], cwd, { ...env, ORCHESTRATE_CRASH_AT: 'task-end:configure' });
      expect(crash.signal).toBe('SIGKILL');
      const runId = path.basename(runDirOf(cwd));
      expect(await findRunId(cwd, 'last')).toBe(runId);
      expect(await findRunId(cwd, runId.slice(0, 18))).toBe(runId);
      const resumed = await orchestrate(['resume', 'last', '--quiet'], cwd, env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(new RegExp(`^complete ${runId} `));
    } finally {
      for (const dir of [template, cwd]) rmSync(dir, { recursive: true, force: true });
    }
  });
});
