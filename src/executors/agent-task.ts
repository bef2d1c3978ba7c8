import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAgentLoop } from '../agents/loop.js';
import { RESEARCH_NOTE, withSources } from '../agents/research-sources.js';
import { describe } from '../engine/attempt.js';
import type { Model } from '../providers/model.js';
import type { AgentDefinition } from '../schema/agent.js';
import { kindResultSchemas } from '../kinds/registry.js';
import type { SecretFinding } from '../schema/manifest.js';
import type { TaskResult, TaskSpec } from '../schema/task-spec.js';
import { emptyUsage, type Usage } from '../schema/usage.js';
import { LearningRefused } from '../staging/secret-guard.js';
import { attemptKey, overRunCap } from '../staging/staged-bytes.js';
import type { LearningInput } from '../tools/tool.js';
import type { ExecutorContext } from './executor.js';
import { TaskOverlay } from './task-overlay.js';
import { resolveLimits } from '../schema/limits.js';
import { PathError } from '../tools/paths.js';

/** What runs an agent task needs from where it runs: models, a rate limit, the secret scan. */
export interface AgentTaskEnvironment {
  /** The model for an agent's frontmatter `model`. */
  model: (agent: AgentDefinition) => Model;
  /** Waits for the shared requests-per-minute limit before each model call. */
  acquire?: (signal: AbortSignal) => Promise<void>;
  /** Hits of the secret scan in a staged text, one line each, for the agent to fix at once. */
  describeHits: (repoPath: string, content: string) => Promise<string[]>;
  /** Throws {@link LearningRefused} for a learning that holds a secret. */
  admitLearning: (learning: LearningInput, task: string) => Promise<void>;
  /**
   * Reserves room in the run's staged-byte count for a write (see src/staging/staged-bytes.ts),
   * when the run is in this process; returns the run's bytes had the write been accepted when
   * that is over `cap`. Without it (a queue worker), the run's bytes when the task was dispatched
   * are checked here, and the run checks the result exactly when it stages it.
   */
  reserveStaged?: (attempt: string, repoPath: string, bytes: number, cap: number) => number | undefined;
  /** Who runs the task: `in-process`, or a worker's name. */
  worker: string;
  /** The time for events. @default the wall clock */
  at?: () => string;
}

/** A model whose every call first waits for the shared requests-per-minute limit. */
function limited(model: Model, acquire: AgentTaskEnvironment['acquire']): Model {
  if (!acquire) return model;
  const generate: Model['generate'] = async (request, options) => {
    await acquire(options.signal);
    return model.generate(request, options);
  };
  return new Proxy(model, { get: (target, key) => (key === 'generate' ? generate : Reflect.get(target, key, target)) });
}

/**
 * Runs one attempt of an agent task from its plain-JSON spec: the agent loop with the tools,
 * staging into a {@link TaskOverlay}. Returns what it did as a plain-JSON result; reports who
 * took it, each model call's usage and each tool call as events. The in-process executor and
 * the queue worker both run tasks through it.
 */
export async function runAgentTask(spec: TaskSpec, context: ExecutorContext, environment: AgentTaskEnvironment): Promise<TaskResult> {
  const { signal, onEvent } = context;
  onEvent({ type: 'assign', worker: environment.worker });
  const scratch = spec.agent.tools.includes('run_tests') ? await mkdtemp(path.join(tmpdir(), 'orchestrate-task-')) : undefined;
  const overlay = await TaskOverlay.open(spec.staging, scratch);
  const learnings: LearningInput[] = [];
  const testRuns: TaskResult['testRuns'] = [];
  const findings: SecretFinding[] = [];
  const base = { worker: environment.worker, learnings, findings, testRuns };
  const done = (outcome: Pick<TaskResult, 'outcome' | 'result' | 'error' | 'usage' | 'model'>): TaskResult => ({ ...outcome, ...overlay.changes(), ...base });
  const model = limited(environment.model(spec.agent), environment.acquire);
  const caps = resolveLimits(undefined, { ...spec.agent.limits, ...spec.limits.caps });
  // Bytes staged against the caps: this attempt's files at their latest size, and the run's before it.
  const staged = new Map<string, number>();
  let taskBytes = 0;
  const chargeStaged = (repoPath: string, bytes: number) => {
    const after = taskBytes - (staged.get(repoPath) ?? 0) + bytes;
    if (after > caps.stagedBytesPerTask) {
      throw new PathError(`not staged: the task would stage ${after} bytes, over its cap of ${caps.stagedBytesPerTask} (limits.stagedBytesPerTask; raise it under limits: in the workflow or the agent's frontmatter)`);
    }
    const runAfter = environment.reserveStaged
      ? environment.reserveStaged(attemptKey(spec.task.id, spec.attempt), repoPath, bytes, caps.stagedBytesPerRun)
      : (spec.limits.stagedBytesOfRun ?? 0) + after > caps.stagedBytesPerRun ? (spec.limits.stagedBytesOfRun ?? 0) + after : undefined;
    if (runAfter !== undefined) throw new PathError(`not staged: ${overRunCap(runAfter, caps.stagedBytesPerRun)}`);
    taskBytes = after;
    staged.set(repoPath, bytes);
  };
  try {
    const resultSchema = (await kindResultSchemas(spec.kind))[spec.resultSchema];
    if (!resultSchema) {
      return done({ outcome: 'failed', error: { code: 'BAD_TASK', message: `unknown result schema "${spec.resultSchema}"` }, usage: emptyUsage(), model: model.modelId });
    }
    const loop = await runAgentLoop({
      model,
      agent: spec.agent,
      system: spec.system,
      prompt: spec.prompt,
      resultSchema,
      limits: caps,
      ...(spec.limits.maxTokens ? { maxTokens: spec.limits.maxTokens } : {}),
      ...(spec.research ? { research: spec.research } : {}),
      onUsage: (usage) => {
        onEvent({ type: 'usage', usage });
        // The run aborts the signal when a budget is crossed; in this process it has done so already.
        signal.throwIfAborted();
      },
      request: {
        runId: spec.runId,
        workflow: spec.workflow,
        task: spec.task.id,
        agent: spec.agent.name,
        inputs: spec.inputs,
        resultSchema: spec.resultSchema,
        needs: spec.needs,
        expertise: spec.expertise,
      },
      tools: {
        workspace: spec.workspace.path,
        staging: overlay,
        task: spec.task,
        runId: spec.runId,
        // Tool calls are progress; staged files and learnings go back in the result instead.
        emit: (event) => {
          if (event.type === 'tool-call') onEvent({ type: 'tool-call', at: event.at, tool: event.tool, ok: event.ok, detail: event.detail });
          else if (event.type === 'test-run') {
            const { type: _type, runId: _runId, at: _at, task: _task, ...seen } = event;
            testRuns.push(seen);
          }
        },
        at: environment.at ?? (() => new Date().toISOString()),
        signal,
        unsafeRunTests: spec.limits.unsafeRunTests ?? false,
        chargeStaged,
        scanSecrets: environment.describeHits,
        recordLearning: async (learning) => {
          if (learnings.length >= caps.learningsPerTask) {
            throw new PathError(`learning not recorded: a task records at most ${caps.learningsPerTask} learnings (limits.learningsPerTask); keep the most useful ones`);
          }
          try {
            await environment.admitLearning(learning, spec.task.id);
          } catch (error) {
            if (error instanceof LearningRefused) findings.push(...error.findings);
            throw error;
          }
          learnings.push(learning);
        },
      },
    });
    if (loop.sources.length) {
      // The pages the API's research tools found and cited, with their URLs, where a person reviews the research.
      const note = withSources(await overlay.read(RESEARCH_NOTE), loop.sources);
      try {
        chargeStaged(RESEARCH_NOTE, Buffer.byteLength(note));
        await overlay.write(RESEARCH_NOTE, note, { phase: spec.task.phase, task: spec.task.id, agent: spec.task.agent });
      } catch (error) {
        if (!(error instanceof PathError)) throw error;
      }
    }
    return done({ outcome: 'done', result: loop.result, usage: loop.usage, model: loop.model });
  } catch (error) {
    const reason = signal.aborted ? signal.reason : error;
    const spent = error as { usage?: Usage; model?: string } | null;
    return done({ outcome: 'failed', error: describe(reason), usage: spent?.usage ?? emptyUsage(), model: spent?.model ?? model.modelId });
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
