import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import type { Model } from '../../src/providers/model.js';
import { defineWorkflow } from '../../src/run/define-workflow.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import { RunEvent } from '../../src/schema/events.js';
import { ScriptedModel } from '../../src/testing/scripted-model.js';
import { tempRepo } from '../helpers/workspace.js';
import { FakeClock } from './fake-clock.js';

describe('defineWorkflow: function tasks mixed with agent tasks', () => {
  it('runs code and agents in one workflow; results flow through needs; events cover both kinds', async () => {
    const cwd = tempRepo();
    const flow = defineWorkflow({
      name: 'release-notes',
      description: 'collect changes in code, let an agent write the notes, count them in code',
      phases: [
        { id: 'collect', name: 'Collect', tasks: [{ id: 'changes', run: ({ inputs }) => ({ summary: `3 changes since ${inputs.since}` }) }] },
        { id: 'write', name: 'Write', tasks: [{ id: 'notes', agent: 'documentation-expert', prompt: 'Write notes for: {{needs.changes.summary}}' }] },
        { id: 'check', name: 'Check', tasks: [{ id: 'count', run: async ({ needs }) => ({ words: String((needs.notes as { summary: string }).summary).split(' ').length }) }] },
      ],
      inputs: { since: { type: 'string' } },
    });
    const model = new ScriptedModel({
      notes: [(request) => ScriptedModel.finish({ summary: `notes about ${(request.context.needs.changes as { summary: string }).summary}` }) as { content: never[] }],
    });
    const events: RunEvent[] = [];
    const result = await runWorkflow({ workflow: flow, inputs: { since: 'v1.0' }, cwd, modelInstance: model, onEvent: (e) => events.push(RunEvent.parse(e)), runtime: { env: {} } });
    expect(result.status).toBe('complete');
    model.assertComplete();
    const ends = events.filter((e) => e.type === 'task-end');
    expect(ends.map((e) => [e.task, e.agent, e.status])).toEqual([
      ['changes', 'function:changes', 'done'],
      ['notes', 'documentation-expert', 'done'],
      ['count', 'function:count', 'done'],
    ]);
    expect(ends[0]!.result).toEqual({ summary: '3 changes since v1.0' });
    expect(ends[1]!.result).toEqual({ summary: 'notes about 3 changes since v1.0' });
    expect(ends[2]!.result).toEqual({ words: 6 });
  });

  it('validates like YAML: every problem at once, thrown by defineWorkflow', () => {
    expect(() =>
      defineWorkflow({
        name: 'broken',
        description: 'x',
        phases: [{ id: 'one', name: 'One', tasks: [{ id: 'a', run: () => 1, needs: ['nope'], retry: { initialInterval: '-1s' } }] }],
      }),
    ).toThrow(ValidationError);
    try {
      defineWorkflow({ name: 'broken', description: 'x', phases: [{ id: 'one', name: 'One', tasks: [{ id: 'a', run: () => 1, needs: ['nope'], retry: { initialInterval: '-1s' } }] }] });
    } catch (error) {
      expect((error as ValidationError).problems.map((p) => p.location)).toEqual(['phases[0].tasks[0].retry.initialInterval', 'phases[0].tasks[0].needs']);
    }
  });

  it('a function task result that fails its schema fails the task with INVALID_RESULT', async () => {
    const cwd = tempRepo();
    const flow = defineWorkflow({
      name: 'typed',
      description: 'typed result',
      kind: 'integration',
      phases: [{ id: 'one', name: 'One', tasks: [{ id: 'research', run: () => ({ summary: 'x' }), result: 'research' }] }],
    });
    const result = await runWorkflow({ workflow: flow, cwd, runtime: { env: {} } });
    expect(result.status).toBe('failed');
    expect(result.report.tasks[0]!.error).toMatchObject({ code: 'INVALID_RESULT' });
    expect(result.reportText).toContain('research failed');
  });
});

const YAML_WITH_FUNCTION = `
name: mixed
description: a YAML workflow calling a TypeScript function
phases:
  - id: one
    name: One
    tasks:
      - { id: fetch, function: fetch-issues }
      - id: summarize
        agent: research-manager
        needs: [fetch]
        prompt: "Summarize {{needs.fetch.summary}}"
        budget: { inputTokens: 15 }
`;

describe('YAML function tasks, budgets through the agent loop, the shared rate limit', () => {
  it('a YAML task names a function given to runWorkflow; an unknown one is a validation error', async () => {
    const cwd = tempRepo({ 'workflows/mixed.yaml': YAML_WITH_FUNCTION });
    await expect(runWorkflow({ workflow: 'mixed', cwd, runtime: { env: {} } })).rejects.toThrow(/unknown function "fetch-issues"/);
  });

  it('a task budget is enforced per model call: the call that crosses it stops the task with BUDGET_EXCEEDED', async () => {
    const cwd = tempRepo({ 'workflows/mixed.yaml': YAML_WITH_FUNCTION });
    const model = new ScriptedModel({ summarize: [ScriptedModel.call('list_files', {}), ScriptedModel.finish({ summary: 'never accepted' })] });
    const result = await runWorkflow({ workflow: 'mixed', cwd, modelInstance: model, functions: { 'fetch-issues': () => ({ summary: '2 issues' }) }, runtime: { env: {} } });
    expect(result.status).toBe('failed');
    const task = result.report.tasks.find((t) => t.id === 'summarize')!;
    expect(task.error).toEqual({
      code: 'BUDGET_EXCEEDED',
      message: 'task budget of "summarize" exceeded: inputTokens used 20, allowed 15',
      budget: { scope: 'task', id: 'summarize', measure: 'inputTokens', used: 20, allowed: 15 },
    });
    expect(task.usage).toMatchObject({ inputTokens: 20, outputTokens: 10, turns: 2 });
    expect(result.usage.inputTokens).toBe(20);
    expect(result.reportText).toContain('exceeded: inputTokens used 20, allowed 15');
  });

  it('model calls wait for the shared requests-per-minute limit on the injected clock', async () => {
    const cwd = tempRepo();
    const clock = new FakeClock(Date.now());
    const flow = defineWorkflow({
      name: 'fan',
      description: 'three agent tasks side by side',
      phases: [{ id: 'one', name: 'One', tasks: ['a', 'b', 'c'].map((id) => ({ id, agent: 'research-manager', prompt: 'go' })) }],
    });
    const model = new ScriptedModel([ScriptedModel.finish({ summary: '1' }), ScriptedModel.finish({ summary: '2' }), ScriptedModel.finish({ summary: '3' })]);
    const starts: number[] = [];
    const counting: Model = { specificationVersion: 'v1', provider: 'scripted', modelId: 'scripted', generate: (r, o) => (starts.push(clock.now()), model.generate(r, o)) };
    let done = false;
    const running = runWorkflow({ workflow: flow, cwd, modelInstance: counting, requestsPerMinute: 2, concurrency: 3, runtime: { env: {}, clock } }).finally(() => (done = true));
    // Fake time moves only while the run is in flight; the limiter's wait is exact on the fake clock.
    while (!done) await clock.advance(1000);
    const result = await running;
    expect(result.status).toBe('complete');
    expect(starts.map((t) => Math.round((t - starts[0]!) / 1000))).toEqual([0, 0, 60]);
  });
});

describe("result schemas: the generic ones anywhere, a kind's only in its workflows", () => {
  const researchTask = { id: 'research', run: () => ({ summary: 'x' }), result: 'research' };

  it('a workflow without a kind naming an integration schema is refused, listing the generic names', () => {
    let error: unknown;
    try {
      defineWorkflow({ name: 'plain', description: 'x', phases: [{ id: 'one', name: 'One', tasks: [researchTask] }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as ValidationError).problems.map((p) => p.message).join('\n');
    expect(message).toContain('unknown result schema "research"; use one of: summary, test-results, security-review, documentation');
  });

  it("a name its kind lacks is refused when the run loads the kind, and a gate on the kind's schema is checked against it", async () => {
    const cwd = tempRepo();
    const unknown = defineWorkflow({ name: 'typo', description: 'x', kind: 'integration', phases: [{ id: 'one', name: 'One', tasks: [{ ...researchTask, result: 'reserch' }] }] });
    await expect(runWorkflow({ workflow: unknown, cwd, runtime: { env: {} } })).rejects.toThrow(/unknown result schema "reserch"; use one of: summary, test-results, security-review, documentation, research, monitoring/);
    const gated = defineWorkflow({
      name: 'gated',
      description: 'x',
      kind: 'integration',
      phases: [
        { id: 'one', name: 'One', tasks: [researchTask] },
        { id: 'two', name: 'Two', gate: { condition: { field: 'research.nope', equals: 0 } }, tasks: [{ id: 'after', run: () => ({ summary: 'y' }) }] },
      ],
    });
    await expect(runWorkflow({ workflow: gated, cwd, runtime: { env: {} } })).rejects.toThrow(/produces a "research" result, which has no field "nope"/);
  });
});
