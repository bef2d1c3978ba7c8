import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import type { ContentBlock, ModelRequest } from '../../src/providers/model.js';
import { modelResponder, ScriptedModel } from '../../src/testing/index.js';
import { fakeServer } from '../helpers/loop-harness.js';
import { tempRepo } from '../helpers/workspace.js';

const workflow = (limits = '') => `name: flood
description: one agent that tries to flood the run
${limits}
phases:
  - id: work
    name: Work
    tasks:
      - id: flood
        agent: flooder
        prompt: Write everything.
`;
const agent = (limits = '') => `---\nname: flooder\ndescription: floods\ntools: Write\nmodel: haiku\nmaxTurns: 6\n${limits}---\n\nYou write.\n`;

/** One reply with `n` write_file calls. */
function writes(n: number, size = 10): { content: ContentBlock[] } {
  return { content: Array.from({ length: n }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_w${i}`, name: 'write_file', input: { path: `src/f${i}.ts`, content: 'x'.repeat(size) } })) };
}

describe('caps: no reply can flood a run', () => {
  it('3,000 writes in one reply over the Messages API: the first 64 run, the rest are answered "not run"', async () => {
    const model = new ScriptedModel({ flood: [writes(3000), ScriptedModel.finish({ summary: 'done' })] });
    const server = await fakeServer({ respond: modelResponder(model) });
    const cwd = tempRepo({ 'workflows/flood.yaml': workflow(), 'agents/flooder.md': agent() });
    const result = await runWorkflow({ workflow: 'flood', cwd, runtime: { env: { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url } } });
    expect(result.status).toBe('complete');
    expect(result.stagedFiles).toHaveLength(64);
    const answers = server.requests[1]!.body.messages.at(-1)!.content as Array<{ is_error?: boolean; content: unknown }>;
    expect(answers).toHaveLength(3000);
    expect(answers.filter((a) => a.is_error)).toHaveLength(2936);
    expect(JSON.stringify(answers[64])).toMatch(/not run: at most 64 tool calls are run from one reply/);
  }, 60_000);

  it('a workflow sets tool calls per task; past it the task fails with TOOL_CALL_LIMIT', async () => {
    const model = new ScriptedModel({ flood: [writes(3), writes(3), ScriptedModel.finish({ summary: 'done' })] });
    const cwd = tempRepo({ 'workflows/flood.yaml': workflow('limits: { toolCallsPerTask: 5 }'), 'agents/flooder.md': agent() });
    const result = await runWorkflow({ workflow: 'flood', cwd, modelInstance: model });
    expect(result.status).toBe('failed');
    expect(result.report.tasks[0]!.error).toMatchObject({ code: 'TOOL_CALL_LIMIT', message: expect.stringMatching(/more than 5 tool calls/) });
  });

  it('staged bytes per task and per run, and learnings per task; an agent\'s limits win over the workflow\'s', async () => {
    const learn = (i: number) => ScriptedModel.call('record_learning', { insight: `Learning number ${i} about the flood.` });
    const model = new ScriptedModel({ flood: [writes(4, 40), learn(1), learn(2), learn(3), ScriptedModel.finish({ summary: 'done' })] });
    const cwd = tempRepo({
      'workflows/flood.yaml': workflow('limits: { stagedBytesPerTask: 1000, stagedBytesPerRun: 100, learningsPerTask: 1 }'),
      'agents/flooder.md': agent('limits:\n  learningsPerTask: 2\n'),
    });
    const server = await fakeServer({ respond: modelResponder(model) });
    const result = await runWorkflow({ workflow: 'flood', cwd, runtime: { env: { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url } } });
    expect(result.status).toBe('complete');
    // 40 + 40 fit in 100 bytes; the third write would make 120.
    expect(result.stagedFiles.map((f) => f.path)).toEqual(['src/f0.ts', 'src/f1.ts']);
    const answers = (i: number) => JSON.stringify(server.requests[i]!.body.messages.at(-1)!.content);
    expect(answers(1)).toMatch(/the run would stage 120 bytes, over its cap of 100 \(limits\.stagedBytesPerRun; raise it under limits: in the workflow or the agent's frontmatter\)/);
    expect(answers(3)).toMatch(/"content":"learning recorded"/);
    expect(answers(4)).toMatch(/"is_error":true.*at most 2 learnings|at most 2 learnings.*"is_error":true/);
  }, 60_000);

  it('four tasks writing at once: the run-wide cap is charged at each write, so the staged total never passes it and no task fails late', async () => {
    const ids = ['w1', 'w2', 'w3', 'w4'];
    const batch = (id: string) => ({ content: Array.from({ length: 3 }, (_, i) => ({ type: 'tool_use' as const, id: `toolu_${id}_${i}`, name: 'write_file', input: { path: `src/${id}-${i}.ts`, content: 'x'.repeat(40) } })) });
    // What each agent was answered, read when its second turn is asked for.
    const answered: string[] = [];
    const finish = (request: ModelRequest) => {
      answered.push(JSON.stringify(request.messages.at(-1)!.content));
      return { content: [{ type: 'tool_use' as const, id: `toolu_finish_${answered.length}`, name: 'finish', input: { summary: 'done' } }] };
    };
    const model = new ScriptedModel(Object.fromEntries(ids.map((id) => [id, [batch(id), finish]])));
    const parallel = `name: flood\ndescription: four writers at once\nlimits: { stagedBytesPerRun: 200 }\nphases:\n  - id: work\n    name: Work\n    tasks:\n${ids.map((id) => `      - { id: ${id}, agent: flooder, prompt: Write. }\n`).join('')}`;
    const cwd = tempRepo({ 'workflows/flood.yaml': parallel, 'agents/flooder.md': agent() });
    const result = await runWorkflow({ workflow: 'flood', cwd, modelInstance: model, concurrency: 4 });
    // Every task ends done: a write past the cap is refused to the agent when it is made.
    expect(result.report.tasks.map((t) => t.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(result.status).toBe('complete');
    const total = result.stagedFiles.reduce((sum, f) => sum + f.size, 0);
    expect(total).toBe(200); // 5 of the 12 writes of 40 bytes
    // The writes ran interleaved: more than one task staged some, and some task was refused.
    expect(new Set(result.stagedFiles.map((f) => f.task)).size).toBeGreaterThan(1);
    const refusals = answered.flatMap((text) => text.match(/not staged: the run would stage \d+ bytes, over its cap of 200 \(limits\.stagedBytesPerRun; raise it under limits: in the workflow or the agent's frontmatter\)/g) ?? []);
    expect(refusals).toHaveLength(7);
  });

  it('an agent task without a timeout gets the default of 30 minutes; a function task gets none', async () => {
    const { planRun } = await import('../../src/engine/plan.js');
    const { Workflow } = await import('../../src/schema/workflow.js');
    const { parse } = await import('yaml');
    const parsed = Workflow.parse(parse(workflow()));
    const agents = new Map([['flooder', { name: 'flooder', description: 'd', tools: [], model: 'haiku', maxTurns: 1, systemPrompt: '', source: 'x', warnings: [] }]]);
    expect(planRun({ workflow: parsed, workflowFile: 'f', inputs: {}, agents }).tasks[0]!.timeoutMs).toBe(30 * 60_000);
  });
});
