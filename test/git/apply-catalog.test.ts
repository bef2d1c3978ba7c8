import { describe, expect, it } from 'vitest';
import { catalogServices, CUSTOM_API } from '../../src/kinds/integration/catalog/catalog.js';
import { applyRun } from '../../src/git/apply-run.js';
import { runWorkflow } from '../../src/index.js';
import { NO_BASH_TESTER } from '../durability/harness.js';
import { tempRepo } from '../helpers/workspace.js';
import { git, statusLines } from './run-fixture.js';

/**
 * Every catalog service's offline run, applied: what the tool generates must pass its own
 * secret scan (no credential-shaped placeholder) and commit. One repository, every run made
 * on main and applied on its own integration/<service> branch (the tests are not
 * run: NO_BASH_TESTER), so the cost is the runs themselves.
 */
describe('orchestrate apply, every catalog service', () => {
  it('applies the offline run of each catalog service (and a custom API) cleanly: no secret finding, one commit each', async () => {
    const repo = tempRepo({ 'README.md': '# app\n', '.env.example': 'APP_PORT=3000\n', 'agents/testing-engineer.md': NO_BASH_TESTER });
    const services: Array<{ service: string; url?: string }> = [...catalogServices().map((s) => ({ service: s.id })), { service: CUSTOM_API, url: 'https://api.example.com/v1' }];
    expect(services.length).toBeGreaterThan(20);
    const failed: string[] = [];
    for (const inputs of services) {
      const run = await runWorkflow({ workflow: 'integrate', inputs, cwd: repo, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(run.status, inputs.service).toBe('complete');
      // An empty environment: the scan's rules alone decide (a declared variable has no value to find).
      const applied = await applyRun({ workspace: repo, runId: run.runId, env: {} }).catch((error: Error) => {
        failed.push(`${inputs.service}: ${error.message}`);
        return undefined;
      });
      if (!applied) {
        git(repo, 'switch', '-q', 'main');
        continue;
      }
      expect(applied, inputs.service).toMatchObject({ outcome: 'applied', branch: `integration/${inputs.service}`, startedFrom: 'main' });
      expect(git(repo, 'log', '-1', '--format=%B', applied.commit!)).toContain(`Orchestrate-Run: ${run.runId}`);
      git(repo, 'switch', '-q', 'main');
    }
    expect(failed).toEqual([]);
    expect(statusLines(repo).filter((l) => !l.includes('agents/'))).toEqual([]);
  }, 600_000);
});
