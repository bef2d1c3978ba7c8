import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Executor } from '../../src/executors/executor.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import type { RunEvent } from '../../src/schema/events.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeReply, type FakeRequest } from '../../src/testing/fake-anthropic-server.js';
import type { ScriptedAttempt } from '../../src/testing/scripted-executor.js';
import { tempRepo } from '../helpers/workspace.js';

/*
 * The executor conformance suite: what the run must see whatever executor ran its agent tasks.
 * Model-driven executors (in-process, queue) play each scenario's agents through a fake Messages
 * API; the scripted executor plays the same scenarios from scripts.
 */

export type Scenario = 'stage-and-learn' | 'budget' | 'retry' | 'cancel';

export interface ExecutorHarness {
  /** Starts what the executor needs (workers) against the fake API; called once. */
  start(api: { url: string }): Promise<void>;
  /** The executor for one scenario; undefined for the run's default (in-process). `arrived`: call it when the attempt runs. */
  executor(scenario: Scenario, hooks: { arrived: () => void }): Executor | undefined;
  stop(): Promise<void>;
}

const AGENT = `---
name: builder
description: Stages files and learns, for the executor conformance suite
tools: Read, Write, Glob
model: haiku
maxTurns: 6
---
You build what the task asks.
`;

const WORKFLOW = (extra: string, planExtra: string) => `name: conformance
description: the executor conformance suite's workflow
domains: [conformance]
${extra}
phases:
  - id: first
    name: First
    tasks:
      - id: plan
        agent: builder
        prompt: Plan it.
${planExtra}
  - id: second
    name: Second
    tasks:
      - id: build
        agent: builder
        prompt: Build it.
`;

const A_TS = 'export const a = 1;\n';
const LEARNING = 'Stage the client before the handlers that import it.';

const call = (id: string, name: string, input: unknown): FakeReply => ({ content: [{ type: 'tool_use', id, name, input }], stopReason: 'tool_use' });
/** The turn a request is on: how many assistant turns it carries. */
export const turnOf = (request: FakeRequest) => request.body.messages.filter((m) => m.role === 'assistant').length;
/** The text of the tool result a request ends with. */
export const lastToolResult = (request: FakeRequest): string => {
  const last = request.body.messages[request.body.messages.length - 1]!;
  const block = (Array.isArray(last.content) ? last.content : []).find((b) => b.type === 'tool_result') as { content?: unknown } | undefined;
  const content = block?.content;
  return Array.isArray(content) ? (content as { text?: string }[]).map((p) => p.text ?? '').join('') : String(content ?? '');
};

/** The scenarios as a fake Messages API plays them. */
function responder(scenario: Scenario, state: { refused: boolean; arrived?: () => void }) {
  return async (request: FakeRequest): Promise<FakeReply> => {
    const turn = turnOf(request);
    if (request.task === 'plan') {
      if (scenario === 'cancel') {
        state.arrived?.();
        return new Promise<FakeReply>(() => undefined); // never answers: the run is cancelled meanwhile
      }
      if (scenario === 'retry' && !state.refused) {
        state.refused = true;
        return { content: [{ type: 'text', text: 'no' }], stopReason: 'refusal' };
      }
      if (turn === 0) {
        return {
          content: [
            { type: 'tool_use', id: 'w1', name: 'write_file', input: { path: 'notes/plan.md', content: '# plan\n' } },
            { type: 'tool_use', id: 'w2', name: 'write_file', input: { path: 'src/a.ts', content: A_TS } },
            { type: 'tool_use', id: 'l1', name: 'record_learning', input: { insight: LEARNING, files_affected: ['src/a.ts'] } },
          ],
          stopReason: 'tool_use',
        };
      }
      return call('f1', 'finish', { summary: 'planned' });
    }
    if (turn === 0) return call('r1', 'read_file', { path: 'src/a.ts' });
    if (turn === 1) return call('w3', 'write_file', { path: 'src/b.ts', content: `// saw: ${lastToolResult(request)}` });
    return call('f2', 'finish', { summary: 'built' });
  };
}

const USAGE = { inputTokens: 10, outputTokens: 5, turns: 1 };

/** The same scenarios as scripts, for the scripted executor. */
export function scripts(scenario: Scenario, hooks: { arrived: () => void }): Record<string, ScriptedAttempt[]> {
  const plan: ScriptedAttempt = {
    usage: [USAGE, USAGE],
    toolCalls: [{ tool: 'write_file', detail: 'notes/plan.md' }, { tool: 'write_file', detail: 'src/a.ts' }, { tool: 'record_learning', detail: 'learning' }],
    writes: [{ path: 'notes/plan.md', content: '# plan\n' }, { path: 'src/a.ts', content: A_TS }],
    learnings: [{ insight: LEARNING, files_affected: ['src/a.ts'] }],
    result: { summary: 'planned' },
  };
  const build: ScriptedAttempt = {
    usage: [USAGE, USAGE, USAGE],
    writes: async (read) => [{ path: 'src/b.ts', content: `// saw: ${(await read('src/a.ts')) ?? ''}` }],
    result: { summary: 'built' },
  };
  switch (scenario) {
    case 'stage-and-learn':
      return { plan: [plan], build: [build] };
    case 'budget':
      return { plan: [{ ...plan, usage: [USAGE, USAGE], error: { code: 'CANCELLED', message: 'cancelled' } }] };
    case 'retry':
      return { plan: [{ usage: [USAGE], error: { code: 'REFUSED', message: 'agent "builder" refused the task' } }, plan], build: [build] };
    case 'cancel':
      return { plan: [{ hang: true, onHang: hooks.arrived }] };
  }
}

function journal(runDir: string): RunEvent[] {
  return readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
}

/** Defines the conformance tests for one executor (call inside a describe). */
export function executorConformance(harness: ExecutorHarness): void {
  let api: FakeAnthropicServer;
  let current: (request: FakeRequest) => Promise<FakeReply> = async () => ({ status: 500, message: 'no scenario' });
  beforeAll(async () => {
    api = await startFakeAnthropicServer({ respond: (request) => current(request) });
    await harness.start({ url: api.url });
  }, 60_000);
  afterAll(async () => {
    await harness.stop();
    await api?.close();
  });

  const run = async (scenario: Scenario, options: { extra?: string; planExtra?: string; state?: { refused: boolean; arrived?: () => void }; signal?: AbortSignal } = {}) => {
    const cwd = tempRepo({ 'README.md': '# demo\n', 'agents/builder.md': AGENT, 'workflows/conformance.yaml': WORKFLOW(options.extra ?? '', options.planExtra ?? '') });
    const state = options.state ?? { refused: false };
    current = responder(scenario, state);
    const executor = harness.executor(scenario, { arrived: () => state.arrived?.() });
    const result = await runWorkflow({
      workflow: 'conformance',
      cwd,
      provider: 'anthropic',
      requestsPerMinute: 10_000,
      runtime: { env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: api.url } },
      ...(executor ? { executor } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { cwd, result, events: journal(result.runDir) };
  };

  it('stages what the tasks wrote, shows a task what its needs staged, and keeps the learnings', async () => {
    const { cwd, result, events } = await run('stage-and-learn');
    expect(result.status).toBe('complete');
    expect(result.stagedFiles.map((f) => [f.path, f.task])).toEqual([['src/a.ts', 'plan'], ['src/b.ts', 'build']]);
    expect(result.notes.map((f) => f.path)).toEqual(['notes/plan.md']);
    expect(readFileSync(path.join(result.runDir, 'files/node_modules/src/b.ts'), 'utf8')).toBe(`// saw: ${A_TS}`);
    expect(result.report.tasks.map((t) => [t.id, t.status])).toEqual([['plan', 'done'], ['build', 'done']]);
    expect(result.usage.turns).toBe(5);
    expect(events.filter((e) => e.type === 'learning-record').map((e) => e.type === 'learning-record' && e.insight)).toEqual([LEARNING]);
    expect(events.filter((e) => e.type === 'tool-call').length).toBeGreaterThanOrEqual(3);
    // Written once each, before their task's end.
    const writes = events.filter((e) => e.type === 'artifact-write').map((e) => e.type === 'artifact-write' && e.path);
    expect(writes.sort()).toEqual(['notes/plan.md', 'src/a.ts', 'src/b.ts']);
    expect(readFileSync(path.join(cwd, 'expertise/conformance/expertise.yaml'), 'utf8')).toContain(LEARNING);
  });

  it('charges usage as it is reported: a crossed task budget stops the attempt with BUDGET_EXCEEDED', async () => {
    const { result, events } = await run('budget', { planExtra: '        budget: { turns: 1 }' });
    expect(result.status).toBe('failed');
    const end = events.find((e) => e.type === 'task-end' && e.task === 'plan');
    expect(end).toMatchObject({ status: 'failed', error: { code: 'BUDGET_EXCEEDED', budget: { scope: 'task', measure: 'turns', allowed: 1 } } });
    expect(result.stagedFiles.map((f) => f.path)).not.toContain('src/b.ts');
  });

  it('runs a failed attempt again with the next attempt number, and records the result once', async () => {
    const { result, events } = await run('retry', { extra: 'defaults:\n  retry: { maximumAttempts: 2, initialInterval: 1ms }' });
    expect(result.status).toBe('complete');
    expect(events.filter((e) => e.type === 'task-start' && e.task === 'plan').map((e) => e.type === 'task-start' && e.attempt)).toEqual([1, 2]);
    expect(events.filter((e) => e.type === 'task-end' && e.task === 'plan')).toHaveLength(1);
    expect(events.find((e) => e.type === 'task-retry')).toMatchObject({ task: 'plan', error: { code: 'REFUSED' } });
    expect(result.stagedFiles.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('stops a running attempt when the run is cancelled', async () => {
    const controller = new AbortController();
    const state = { refused: false, arrived: () => controller.abort() };
    const outcome = run('cancel', { state, signal: controller.signal });
    const { result, events } = await outcome;
    expect(result.status).toBe('cancelled');
    expect(events.find((e) => e.type === 'task-end' && e.task === 'plan')).toMatchObject({ status: 'cancelled' });
    expect(result.stagedFiles).toEqual([]);
  });
}
