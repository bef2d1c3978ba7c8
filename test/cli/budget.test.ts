import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareKind } from '../../src/kinds/registry.js';
import { OfflineModel } from '../../src/providers/offline/offline-model.js';
import { modelResponder } from '../../src/testing/index.js';
import { fakeServer } from '../helpers/loop-harness.js';
import { BIN, offlineEnv, runFolders, tempRepo } from '../helpers/workspace.js';

/** The CLI as a child process, awaited without blocking this process (the fake server lives here). */
function cli(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...offlineEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The offline model answering over HTTP needs what the HTTP request does not carry: the run's inputs and result schemas. */
const RESULTS: Record<string, string> = { research: 'research', tests: 'test-results', review: 'security-review', docs: 'documentation' };
const offlineOverHttp = async () =>
  modelResponder(new OfflineModel((await prepareKind('integration', { service: 'twilio' }, { offline: true })).offlineRoles), {
    context: (request) => ({ workflow: 'integrate', inputs: { service: 'twilio' }, resultSchema: RESULTS[request.task ?? ''] ?? 'summary' }),
  });

describe('--budget-usd', () => {
  it('stops a Claude run whose cost passes the budget, saying which budget, used and allowed', async () => {
    const server = await fakeServer({ respond: await offlineOverHttp() });
    const cwd = tempRepo();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url };
    const { code, stdout, stderr } = await cli(['integrate', 'twilio', '--provider', 'anthropic', '--budget-usd', '0.01'], cwd, env);
    expect(code, stderr).toBe(1);
    expect(stdout).toMatch(/BUDGET_EXCEEDED|budget/i);
    expect(stdout).toMatch(/costUsd|cost/);
    const [run] = runFolders(cwd);
    const report = readFileSync(path.join(cwd, 'pending-commits', run!, 'report.yaml'), 'utf8');
    expect(report).toContain('BUDGET_EXCEEDED');
    expect(report).toMatch(/status: failed/);
  });

  it('a generous budget lets the same run complete', async () => {
    const server = await fakeServer({ respond: await offlineOverHttp() });
    const cwd = tempRepo();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url };
    const { code, stderr } = await cli(['integrate', 'twilio', '--provider', 'anthropic', '--budget-usd', '50'], cwd, env);
    expect(code, stderr).toBe(0);
  });

  it('refuses a model without a known price under a dollar budget before the run (exit 2), unless --price is given', async () => {
    const server = await fakeServer({ respond: await offlineOverHttp() });
    const cwd = tempRepo();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url };
    const refused = await cli(['integrate', 'twilio', '--provider', 'anthropic', '--model', 'my-gateway-model', '--budget-usd', '5'], cwd, env);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^orchestrate: no price is known for "my-gateway-model".*--price/);
    expect(runFolders(cwd)).toEqual([]);
    expect(server.requests).toHaveLength(0);

    const priced = await cli(['integrate', 'twilio', '--provider', 'anthropic', '--model', 'my-gateway-model', '--budget-usd', '0.01', '--price', '3/15'], cwd, env);
    expect(priced.code, priced.stderr).toBe(1);
    expect(priced.stdout).toMatch(/BUDGET_EXCEEDED|budget/i);
  });

  it('without a budget a model without a price runs, and the report says its cost is unknown', async () => {
    const server = await fakeServer({ respond: await offlineOverHttp() });
    const cwd = tempRepo();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url };
    const { code, stdout, stderr } = await cli(['integrate', 'twilio', '--provider', 'anthropic', '--model', 'my-gateway-model'], cwd, env);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/cost unknown/);
    const [run] = runFolders(cwd);
    expect(readFileSync(path.join(cwd, 'pending-commits', run!, 'report.yaml'), 'utf8')).toMatch(/unpricedModels:\n\s+- my-gateway-model/);
  });

  it('rejects a budget that is not an amount, writing nothing', async () => {
    const cwd = tempRepo();
    const { code, stderr } = await cli(['integrate', 'twilio', '--budget-usd', 'lots'], cwd, {});
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^orchestrate: --budget-usd takes an amount in US dollars/);
    expect(runFolders(cwd)).toEqual([]);
  });
});
