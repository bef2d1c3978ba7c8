import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { z } from 'zod';
import { runAgentLoop, type AgentLoopResult } from '../../src/agents/loop.js';
import type { PlannedTask } from '../../src/engine/plan.js';
import { createAnthropicModels } from '../../src/providers/anthropic/provider.js';
import type { ContextPolicy } from '../../src/agents/conversation.js';
import type { Model, ResearchTools } from '../../src/providers/model.js';
import type { Clock } from '../../src/runtime/clock.js';
import type { AgentDefinition, ToolName } from '../../src/schema/agent.js';
import type { RunEvent } from '../../src/schema/events.js';
import { SummaryResult } from '../../src/schema/results.js';
import { StagingArea } from '../../src/staging/staging-area.js';
import type { LearningInput, ToolContext } from '../../src/tools/tool.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeAnthropicServerOptions } from '../../src/testing/index.js';

const servers: FakeAnthropicServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A clock whose sleeps return at once and are remembered, so retry waits are asserted, never waited. */
export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => void (now += ms),
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A fake Messages API server, closed after the test. */
export async function fakeServer(options: FakeAnthropicServerOptions): Promise<FakeAnthropicServer> {
  const server = await startFakeAnthropicServer(options);
  servers.push(server);
  return server;
}

/** A Claude model from the real provider, pointed at the fake server. */
export async function claudeAt(server: FakeAnthropicServer, clock: Clock = fakeClock(), alias = 'haiku', env: Record<string, string> = {}): Promise<Model> {
  const provider = await createAnthropicModels({
    env: { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: server.url, ...env },
    clock,
    random: () => 0,
  });
  return provider.resolve(alias);
}

export function tempDir(prefix = 'orchestrate-loop-'): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

export function agent(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  const tools: ToolName[] = ['read_file', 'list_files', 'search', 'write_file', 'edit_file', 'record_learning', 'finish'];
  return { name: 'tester', description: 'a test agent', tools, model: 'haiku', maxTurns: 10, systemPrompt: 'You test things.', source: 'test', warnings: [], ...overrides };
}

export function plannedTask(id = 'build'): PlannedTask {
  return {
    id,
    index: 0,
    phase: 'work',
    kind: 'agent',
    agent: 'tester',
    needs: [],
    promptTemplate: 'Do the work.',
    result: 'summary',
    retry: { maximumAttempts: 1, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 1000, jitter: 0, nonRetryableErrorCodes: [] },
  };
}

export interface LoopRun {
  workspace: string;
  staging: StagingArea;
  events: RunEvent[];
  learnings: LearningInput[];
  run(model: Model, options?: { agent?: AgentDefinition; resultSchema?: z.ZodType; system?: string[]; context?: ContextPolicy; research?: ResearchTools }): Promise<AgentLoopResult>;
}

/** A workspace, a staging area outside it and a tool context, to run one agent loop. */
export function loopRun(workspace = tempDir('orchestrate-ws-')): LoopRun {
  const staging = new StagingArea(path.join(tempDir('orchestrate-run-'), 'run'));
  const events: RunEvent[] = [];
  const learnings: LearningInput[] = [];
  return {
    workspace,
    staging,
    events,
    learnings,
    run(model, options = {}) {
      const task = plannedTask();
      const definition = options.agent ?? agent();
      const tools: ToolContext = {
        workspace,
        staging,
        task,
        runId: 'run-1',
        emit: (event) => events.push(event),
        at: () => '2026-01-01T00:00:00.000Z',
        recordLearning: (learning) => learnings.push(learning),
        signal: new AbortController().signal,
      };
      return runAgentLoop({
        model,
        agent: definition,
        system: options.system ?? [definition.systemPrompt],
        prompt: 'Do the work.',
        resultSchema: options.resultSchema ?? SummaryResult,
        tools,
        ...(options.context ? { context: options.context } : {}),
        ...(options.research ? { research: options.research } : {}),
        request: {
          runId: 'run-1',
          workflow: 'test',
          task: task.id,
          agent: definition.name,
          inputs: {},
          resultSchema: 'summary',
          needs: {},
          expertise: { learnings: [], conventions: [] },
        },
      });
    },
  };
}

/** A reply that calls one tool. */
export function call(name: string, input: unknown, id = `toolu_${name}_${Math.random().toString(36).slice(2, 8)}`) {
  return { content: [{ type: 'tool_use' as const, id, name, input }] };
}
