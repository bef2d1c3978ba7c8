import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import { type FakeRequest, ScriptedModel, webSearchBlocks } from '../../src/testing/index.js';
import { claudeAt, fakeServer, loopRun } from '../helpers/loop-harness.js';
import { tempRepo } from '../helpers/workspace.js';

const RESEARCH = {
  summary: 'Stripe signs webhooks with Stripe-Signature.',
  endpoint: 'https://api.stripe.com',
  authentication: 'Bearer secret key',
  envVars: ['STRIPE_SECRET_KEY'],
  capabilities: ['payments'],
  unknowns: [],
};

/** A kind: integration workflow: research (a research task), and a plan by an agent with the same tools. */
function workflow(extra = ''): string {
  return `name: study
kind: integration
description: research a service, then plan
${extra}inputs:
  service:
    type: string
phases:
  - id: one
    name: One
    tasks:
      - id: research
        agent: researcher
        result: research
        prompt: Research {{inputs.service}} and write notes/research.md.
      - id: plan
        agent: planner
        prompt: Plan the {{inputs.service}} integration.
      - id: check
        agent: checker
        prompt: Check the {{inputs.service}} plan.
`;
}

function repo(files: Record<string, string> = {}): string {
  return tempRepo({
    'package.json': JSON.stringify({ name: 'shop', type: 'module', devDependencies: { typescript: '5.0.0', vitest: '1.0.0' } }),
    'tsconfig.json': '{}',
    'src/index.ts': 'export {};\n',
    'workflows/study.yaml': workflow(),
    'agents/researcher.md': '---\nname: researcher\ndescription: researches\ntools: Read, Write\nmodel: haiku\nmaxTurns: 5\n---\n\nYou research services.\n',
    'agents/planner.md': '---\nname: planner\ndescription: plans\ntools: Write, Read\nmodel: haiku\nmaxTurns: 5\n---\n\nYou plan integrations, a different prompt.\n',
    'agents/checker.md': '---\nname: checker\ndescription: checks\ntools: Read, Write\nmodel: haiku\nmaxTurns: 5\n---\n\nYou check plans.\n',
    ...files,
  });
}

/** The research task searches (one page off the allowed domains), writes its note and finishes; the plan finishes. */
function respond(request: FakeRequest) {
  const turn = request.body.messages.length;
  if (request.task !== 'research') return { content: [{ type: 'tool_use' as const, id: 'toolu_plan', name: 'finish', input: { summary: 'planned' } }] };
  if (turn === 1) {
    const search = webSearchBlocks('stripe webhook signature', [
      { url: 'https://docs.stripe.com/webhooks', title: 'Receive Stripe events', cited: 'Stripe signs the webhook events it sends by including a signature in each event’s Stripe-Signature header.' },
      { url: 'https://docs.stripe.com/api/authentication', title: 'Authentication' },
      { url: 'https://blog.example.com/stripe-tips', title: 'Stripe tips', cited: 'an unofficial claim' },
    ]);
    return { content: [...search, { type: 'tool_use' as const, id: 'toolu_note', name: 'write_file', input: { path: 'notes/research.md', content: '# Stripe research\n\nWebhooks are signed.\n' } }] };
  }
  return { content: [{ type: 'tool_use' as const, id: 'toolu_done', name: 'finish', input: RESEARCH }] };
}

const env = (url: string) => ({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: url });
const toolNames = (request: FakeRequest) => (request.body.tools ?? []).map((t) => t.name);

describe('research with sources, and the briefing in the cached prefix (fake Messages API, real SDK)', () => {
  it('gives a research task web search and fetch kept to the catalog documentation hosts, and stages the cited sources with URLs', async () => {
    const server = await fakeServer({ respond });
    const cwd = repo();
    const run = await runWorkflow({ workflow: 'study', inputs: { service: 'stripe' }, cwd, runtime: { env: env(server.url) } });
    expect(run.status).toBe('complete');

    const research = server.requests.find((r) => r.task === 'research')!;
    const tools = research.body.tools!.filter((t) => t.type !== undefined);
    expect(tools.map((t) => [t.name, t.type])).toEqual([
      ['web_search', expect.stringMatching(/^web_search_\d{8}$/)],
      ['web_fetch', expect.stringMatching(/^web_fetch_\d{8}$/)],
    ]);
    for (const tool of tools) {
      expect(tool.max_uses).toBe(5);
      expect(tool.allowed_domains).toContain('docs.stripe.com');
      expect(tool.allowed_domains).not.toContain('blog.example.com');
    }
    // Only the research task gets them; the plan task (no research result) does not.
    expect(toolNames(server.requests.find((r) => r.task === 'plan')!)).not.toContain('web_search');

    const note = readFileSync(path.join(run.runDir, 'notes', 'research.md'), 'utf8');
    expect(note).toContain('# Stripe research');
    expect(note).toContain('## Sources (from the web search and fetch tools)');
    expect(note).toContain('[Receive Stripe events](https://docs.stripe.com/webhooks): "Stripe signs the webhook events');
    expect(note).toContain('[Authentication](https://docs.stripe.com/api/authentication) (found, not cited)');
    // The page off the allowed domains was dropped by the (fake) API, citation and all.
    expect(note).not.toContain('blog.example.com');
  });

  it('turns research off for a workflow with research: false, and for an agent with research: false', async () => {
    const offByWorkflow = await fakeServer({ respond: (r) => (r.task !== 'research' ? respond(r) : { content: [{ type: 'tool_use', id: 'toolu_d', name: 'finish', input: RESEARCH }] }) });
    const a = repo({ 'workflows/study.yaml': workflow('research: false\n') });
    expect((await runWorkflow({ workflow: 'study', inputs: { service: 'stripe' }, cwd: a, runtime: { env: env(offByWorkflow.url) } })).status).toBe('complete');
    expect(offByWorkflow.requests.flatMap(toolNames)).not.toContain('web_search');

    const offByAgent = await fakeServer({ respond: (r) => (r.task !== 'research' ? respond(r) : { content: [{ type: 'tool_use', id: 'toolu_d', name: 'finish', input: RESEARCH }] }) });
    const b = repo({ 'agents/researcher.md': '---\nname: researcher\ndescription: researches\ntools: Read, Write\nmodel: haiku\nmaxTurns: 5\nresearch: false\n---\n\nYou research services.\n' });
    expect((await runWorkflow({ workflow: 'study', inputs: { service: 'stripe' }, cwd: b, runtime: { env: env(offByAgent.url) } })).status).toBe('complete');
    expect(offByAgent.requests.flatMap(toolNames)).not.toContain('web_search');
    expect(offByAgent.requests.flatMap(toolNames)).toContain('finish');
  });

  it('never offers research tools to a model that is not Claude', async () => {
    const model = new ScriptedModel({ research: [ScriptedModel.finish(RESEARCH)], plan: [ScriptedModel.finish({ summary: 'planned' })], check: [ScriptedModel.finish({ summary: 'checked' })] });
    const run = await runWorkflow({ workflow: 'study', inputs: { service: 'stripe' }, cwd: repo(), modelInstance: model, runtime: { env: {} } });
    expect(run.status).toBe('complete');
    expect(model.requests.map((r) => r.research)).toEqual([undefined, undefined, undefined]);
  });

  it('puts the catalog facts (UNVERIFIED marked) and the detected stack first, shared and cached across agents with the same tools', async () => {
    const server = await fakeServer({ respond, minCacheTokens: () => 256 });
    const run = await runWorkflow({ workflow: 'study', inputs: { service: 'stripe' }, cwd: repo(), runtime: { env: env(server.url) }, concurrency: 1 });
    expect(run.status).toBe('complete');
    const plan = server.requests.find((r) => r.task === 'plan')!;
    const system = plan.body.system as Array<{ text: string; cache_control?: unknown }>;
    expect(system).toHaveLength(2);
    expect(system[0]!.text).toContain('Stripe: facts from the service catalog');
    expect(system[0]!.text).toContain('UNVERIFIED');
    expect(system[0]!.text).toMatch(/TypeScript \(ESM\).*vitest/);
    expect(system[1]!.text).toContain('You plan integrations');
    expect(system.map((b) => b.cache_control)).toEqual([{ type: 'ephemeral' }, { type: 'ephemeral' }]);
    // planner and checker list the same tools in different orders; the requests send them in one
    // order, so the checker's first request reads the shared block the planner wrote.
    const check = server.requests.find((r) => r.task === 'check')!;
    expect(toolNames(check)).toEqual(toolNames(plan));
    const checkUsage = server.exchanges.find((e) => e.request === check)!.usage!;
    expect(checkUsage.cache_read_input_tokens).toBeGreaterThan(0);
    expect((check.body.system as Array<{ text: string }>)[0]!.text).toBe(system[0]!.text);
  });

  it('holds server tools to what the request offered, as the API does: max_uses, and no tool it did not offer', async () => {
    const twice = [
      ...webSearchBlocks('first', [{ url: 'https://docs.stripe.com/a', title: 'A', cited: 'from A' }]),
      ...webSearchBlocks('second', [{ url: 'https://docs.stripe.com/b', title: 'B', cited: 'from B' }]),
      { type: 'tool_use' as const, id: 'toolu_f', name: 'finish', input: { summary: 'done' } },
    ];
    const server = await fakeServer({ respond: [{ content: twice }] });
    const result = await loopRun().run(await claudeAt(server), { research: { maxUses: 1, allowedDomains: ['docs.stripe.com'] } });
    expect(result.sources.map((s) => s.url)).toEqual(['https://docs.stripe.com/a']);
    expect(server.exchanges[0]!.usage).toMatchObject({ server_tool_use: { web_search_requests: 1 } });

    // A scripted search in reply to a request that offered no search tool is the script's mistake.
    const unoffered = await fakeServer({ respond: [{ content: twice }] });
    const response = await fetch(`${unoffered.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/server tool "web_search", which the request did not offer/);
  });
});
