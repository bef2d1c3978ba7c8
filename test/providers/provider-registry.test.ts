import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS, PROVIDER_NAMES, chooseProvider } from '../../src/providers/registry.js';
import { selectProvider } from '../../src/providers/select.js';
import { planDryRun } from '../../src/run/dry-run-plan.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import { REPO_ROOT, tempRepo } from '../helpers/workspace.js';
import { echoProvider } from './echo-provider.js';

const WORKFLOW = `
name: summarize
description: one agent task
phases:
  - id: one
    name: One
    tasks:
      - { id: summary, agent: research-manager, prompt: "Summarize the repository." }
`;

const withEcho = [...PROVIDERS, echoProvider];

describe('the provider registry: a provider is one definition and one line', () => {
  it('lists offline and anthropic, and select.ts builds none of them itself', () => {
    expect(PROVIDER_NAMES).toEqual(['anthropic', 'offline']);
    const select = readFileSync(path.join(REPO_ROOT, 'src/providers/select.ts'), 'utf8');
    expect(select).not.toMatch(/\.\/(offline|anthropic)\/|OfflineModel|createAnthropicModels|ANTHROPIC_API_KEY/);
  });

  it('chooses by the environment in registry order: a key makes its provider the default, else offline', () => {
    expect(chooseProvider(undefined, {}).name).toBe('offline');
    expect(chooseProvider(undefined, { ANTHROPIC_API_KEY: 'k' }).name).toBe('anthropic');
    expect(chooseProvider(undefined, { ECHO_KEY: 'k' }, [echoProvider, ...PROVIDERS]).name).toBe('echo');
    expect(() => chooseProvider('echo', {})).toThrow('unknown provider "echo"; use anthropic or offline');
  });

  it('a fixture provider added to the registry is selectable by name, with its missing-key message', async () => {
    const choice = await selectProvider({ env: { ECHO_KEY: 'k' }, provider: 'echo', providers: withEcho });
    expect(choice.provider).toBe('echo');
    expect(choice.resolve('haiku').modelId).toBe('echo-haiku');
    expect(choice.priced('echo-haiku')).toBe(true);
    expect(choice.priced('other')).toBe(false);
    await expect(selectProvider({ env: {}, provider: 'echo', providers: withEcho })).rejects.toThrow('the echo provider needs ECHO_KEY');
  });

  it('runs a workflow on it: the journal records it, its prices cost the run, and the dry run uses its model ids', async () => {
    const cwd = tempRepo({ 'README.md': '# demo\n', 'workflows/summarize.yaml': WORKFLOW });
    const result = await runWorkflow({ workflow: 'summarize', cwd, provider: 'echo', providers: withEcho, runtime: { env: { ECHO_KEY: 'k' } } });
    expect(result.status).toBe('complete');
    expect(result.results.summary).toEqual({ summary: 'echo summary' });
    expect(result.report.tasks[0]!.model).toBe('echo-sonnet');
    const journal = readFileSync(path.join(cwd, 'pending-commits', result.runId, 'journal.jsonl'), 'utf8');
    expect(JSON.parse(journal.split('\n')[0]!)).toMatchObject({ type: 'run-start', provider: 'echo' });
    // 1000 input and 500 output tokens at $1 / $2 per million.
    expect(result.report.usage.costUsd).toBeCloseTo(0.002, 6);

    const dry = await planDryRun({ workflow: 'summarize', cwd, provider: 'echo', providers: withEcho, runtime: { env: { ECHO_KEY: 'k' } } });
    expect(dry.provider).toBe('echo');
    expect(dry.tasks[0]!.model).toMatch(/^echo-/);
    expect(dry.estimate.unpricedModels).toEqual([]);
    expect(dry.estimate.costUsd).toBeGreaterThan(0);
  });
});
