import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, runFolders, tempRepo } from '../helpers/workspace.js';

const AGENT = (name: string, extra = '') => `---\nname: ${name}\ndescription: a test agent\nmodel: haiku\n${extra}---\nYou are ${name}.\n`;

describe('agents', () => {
  it('lists built-in and workspace agents; a workspace agent overrides a built-in one', () => {
    const cwd = tempRepo({ 'agents/research-manager.md': AGENT('research-manager'), '.claude/agents/helper.md': AGENT('helper') });
    const { code, stdout } = runCli(['agents'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^research-manager +haiku +agents\/research-manager\.md/m);
    expect(stdout).toMatch(/^helper +haiku +\.claude\/agents\/helper\.md/m);
    expect(stdout).toMatch(/^testing-engineer +sonnet +built-in/m);
    const json = JSON.parse(runCli(['agents', '--json'], cwd).stdout) as Array<{ name: string }>;
    expect(json.map((a) => a.name)).toContain('helper');
  });

  it('agents show <name> prints model, tools, source and the system prompt; a typo gets a suggestion', () => {
    const cwd = tempRepo();
    const { code, stdout } = runCli(['agents', 'show', 'integration-specialist'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^model: sonnet/m);
    expect(stdout).toMatch(/^tools: .*write_file/m);
    expect(stdout).toContain(path.join(REPO_ROOT, 'agents', 'integration-specialist.md'));
    const typo = runCli(['agents', 'show', 'integration-specialst'], cwd);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/no agent "integration-specialst"; did you mean integration-specialist\?/);
  });
});

describe('workflows, graph, validate', () => {
  const FLOW = 'name: flow\ndescription: my flow\ninputs:\n  target: { type: string }\nphases:\n  - id: p1\n    name: First\n    tasks:\n      - { id: a, agent: worker, prompt: "do {{inputs.target}}" }\n      - { id: b, agent: worker, prompt: y }\n  - id: p2\n    name: Second\n    tasks:\n      - { id: c, agent: worker, prompt: z, needs: [a] }\n';

  it('workflows lists the built-in ones and the workspace ones with their inputs', () => {
    const cwd = tempRepo({ 'agents/worker.md': AGENT('worker'), 'workflows/flow.yaml': FLOW });
    const { code, stdout } = runCli(['workflows'], cwd);
    expect(code).toBe(0);
    for (const name of ['integrate', 'test-integration', 'update-integration', 'remove-integration']) expect(stdout).toMatch(new RegExp(`^${name} +\\d+ tasks +built-in`, 'm'));
    expect(stdout).toMatch(/^flow +3 tasks +workflows\/flow\.yaml +inputs: target$/m);
  });

  it('graph prints Mermaid: a subgraph per phase, an edge per need', () => {
    const cwd = tempRepo({ 'agents/worker.md': AGENT('worker'), 'workflows/flow.yaml': FLOW });
    const { code, stdout } = runCli(['graph', 'flow'], cwd);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('flowchart TD');
    expect(stdout).toContain('subgraph p_p1["First"]');
    expect(stdout).toContain('t_a --> t_c');
    expect(stdout).not.toContain('t_b --> t_c'); // c narrowed its needs to a
    const integrate = runCli(['graph', 'integrate'], cwd).stdout;
    expect(integrate).toContain('t_implement --> t_tests');
  });

  it('validate: ok on a good repository, every problem at once on a bad one, exit 2', () => {
    expect(runCli(['validate'], tempRepo({ 'agents/worker.md': AGENT('worker'), 'workflows/flow.yaml': FLOW }))).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: 1 workflows, 7 agents/m) });
    const cwd = tempRepo({
      'agents/nameless.md': '---\ndescription: x\n---\nbody\n',
      'workflows/flow.yaml': FLOW.replace('agent: worker, prompt: z', 'agent: ghost, prompt: z'),
      'workflows/broken.yaml': 'name: broken\ndescription: [unclosed\n',
    });
    const { code, stdout } = runCli(['validate'], cwd);
    expect(code).toBe(2);
    expect(stdout).toMatch(/nameless\.md \(name\): /);
    expect(stdout).toMatch(/broken\.yaml \(line \d+, column \d+\)/);
    expect(stdout).toMatch(/flow\.yaml \(phases\[1\]\.tasks\[0\]\.agent\): unknown agent "ghost"/);
    expect(stdout).toMatch(/worker|unknown agent "worker"/); // worker is not defined here either
    expect(stdout).toMatch(/^\d+ problems in 2 workflows/m);
    const one = runCli(['validate', 'workflows/broken.yaml'], cwd);
    expect(one.code).toBe(2);
    expect(one.stdout).not.toContain('flow.yaml');
  });
});

describe('init', () => {
  it('copies the built-in agents, workflows and seed expertise, and keeps files you already have', () => {
    const cwd = tempRepo({ 'workflows/integrate.yaml': '# mine\n' });
    const { code, stdout } = runCli(['init'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\+ agents\/integration-specialist\.md/);
    expect(stdout).toMatch(/= workflows\/integrate\.yaml \(yours, kept/);
    expect(readFileSync(path.join(cwd, 'workflows/integrate.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(path.join(cwd, 'workflows/remove-integration.yaml'))).toBe(true);
    expect(readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8')).toBe(readFileSync(path.join(REPO_ROOT, 'expertise/integrations/expertise.yaml'), 'utf8'));
    expect(runCli(['init', '--force'], cwd).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'workflows/integrate.yaml'), 'utf8')).toBe(readFileSync(path.join(REPO_ROOT, 'workflows/integrate.yaml'), 'utf8'));
    // What init copied is valid and is what the next run uses.
    expect(runCli(['validate'], cwd).code).toBe(0);
  });
});

describe('--dry-run', () => {
  it('prints tasks, agents, models, prompt sizes and an estimate, and writes nothing', () => {
    const cwd = tempRepo();
    const { code, stdout } = runCli(['integrate', 'twilio', 'sms', 'alerts', '--dry-run', '--provider', 'anthropic'], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Dry run of workflow integrate \(built-in\): nothing is run or written\./);
    expect(stdout).toMatch(/Inputs: service=twilio purpose=sms alerts/);
    expect(stdout).toMatch(/^ {2}research +research-manager +claude-\S+ +prompt [\d,]+ chars +~[\d.]+k tok +~\$[\d.]+/m);
    expect(stdout).toMatch(/^ {2}docs +documentation-expert +claude-haiku\S* /m);
    expect(stdout).toMatch(/^Estimate: 9 tasks, ~[\d.]+k tok in \(~[\d.]+k tok cache reads, ~[\d.]+k tok cache writes\), ~[\d.]+k tok out, ~\$[\d.]+$/m);
    expect(stdout).toMatch(/prompt caching on: each task's first turn writes its prompt to the cache at the cache-write price and later turns read it at the cache-read price/);
    expect(runFolders(cwd)).toEqual([]);
    expect(existsSync(path.join(cwd, 'expertise'))).toBe(false);
  });

  it('prices cache writes and reads, and prices every token as input with ORCHESTRATE_PROMPT_CACHE=off', async () => {
    const { planDryRun } = await import('../../src/index.js');
    const cwd = tempRepo();
    const plan = (env: Record<string, string>) => planDryRun({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, provider: 'anthropic', runtime: { env } });
    const cached = await plan({});
    const uncached = await plan({ ORCHESTRATE_PROMPT_CACHE: 'off' });
    expect(cached.estimate.inputTokens).toBe(uncached.estimate.inputTokens);
    expect(cached.estimate.cacheReadTokens).toBeGreaterThan(0);
    expect(cached.estimate.cacheWriteTokens).toBeGreaterThan(0);
    expect(uncached.estimate.cacheReadTokens + uncached.estimate.cacheWriteTokens).toBe(0);
    expect(cached.estimate.costUsd).toBeLessThan(uncached.estimate.costUsd);
    expect(uncached.estimate.assumptions).toContain('prompt caching off (ORCHESTRATE_PROMPT_CACHE=off)');
    // A Claude run's prompts hold the catalog's facts and the stack; the dry run counts them.
    expect(cached.tasks[0]!.system[0]).toContain('Stripe: facts from the service catalog');
  });

  it('--json gives one plan object; purpose words and --config reach every agent prompt', async () => {
    const cwd = tempRepo();
    const { code, stdout } = runCli(['integrate', 'openai', 'support', 'bot', '--config', 'model=gpt-4', '--dry-run', '--json'], cwd);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const plan = JSON.parse(lines[0]!) as { type: string; inputs: Record<string, string>; tasks: Array<{ id: string; systemChars: number }> };
    expect(plan.type).toBe('plan');
    expect(plan.inputs).toMatchObject({ service: 'openai', purpose: 'support bot', config: 'model=gpt-4' });
    const { planDryRun } = await import('../../src/index.js');
    const full = await planDryRun({ workflow: 'integrate', inputs: plan.inputs, cwd, provider: 'offline', runtime: { env: {} } });
    expect(full.tasks).toHaveLength(9);
    for (const task of full.tasks) {
      const system = task.system.join('\n');
      expect(system, task.id).toContain("Purpose, in the user's words: support bot.");
      expect(system, task.id).toContain('Options of the integration itself, set by the user: model=gpt-4.');
    }
    expect(runFolders(cwd)).toEqual([]);
  });
});
