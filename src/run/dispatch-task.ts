import { hostname } from 'node:os';
import { buildSystem, buildTaskPrompt } from '../agents/prompt.js';
import { BudgetExceededError } from '../engine/budget.js';
import type { TaskExecution, TaskSuccess } from '../engine/execution.js';
import type { PlannedTask, RunPlan } from '../engine/plan.js';
import { TaskError } from '../errors.js';
import type { Executor } from '../executors/executor.js';
import type { ExpertiseContext, ResearchTools } from '../providers/model.js';
import type { AgentDefinition } from '../schema/agent.js';
import type { RunEvent, RunEventOf } from '../schema/events.js';
import { TASK_SPEC_VERSION, type ExecutorEvent, type TaskResult, type TaskSpec } from '../schema/task-spec.js';
import type { RunFolder } from '../staging/run-folder.js';
import { LearningRefused, type SecretGuard } from '../staging/secret-guard.js';
import { StagingView } from '../staging/staging-view.js';
import { attemptKey, overRunCap, type StagedBytes } from '../staging/staged-bytes.js';
import { overruleTestResult } from './test-verdict.js';
import { resolveLimits } from '../schema/limits.js';
import { assertWritable, PathError, toRepoPath } from '../tools/paths.js';

/** Largest file a result may stage (the write tools' own cap). */
const MAX_STAGED_BYTES = 1024 * 1024;

export interface DispatchArgs {
  plan: RunPlan;
  agents: ReadonlyMap<string, AgentDefinition>;
  executor: Executor;
  runId: string;
  /** The workspace's real path. */
  workspace: string;
  /** The commit the run reads, when the workspace has one: a worker elsewhere fetches it (by default from the workspace's path). */
  base?: { commit: string };
  folder: RunFolder;
  guard: SecretGuard;
  expertise: ExpertiseContext;
  /** The kind's briefing (the subject's facts and the repository's stack), for the shared prompt prefix. */
  briefing?: string;
  /** The API's research tools as the run's provider offers them; unset when it has none (offline). */
  research?: ResearchTools;
  /** Who plays the agents, for an executor that resolves models itself. */
  model: TaskSpec['model'];
  /** Each task with itself and every task it needs (what it may see of the staging). */
  visible: { get(task: string): ReadonlySet<string> };
  /** What the approvals answered so far say, for the prompts of the tasks after them. */
  promptContext?: () => string;
  emit: (event: RunEvent) => void;
  at: () => string;
  /** The run's staged bytes against `limits.stagedBytesPerRun`, shared with the in-process executor. */
  stagedBytes: StagedBytes;
  /** The user let `run_tests` run without a sandbox where none exists. */
  unsafeRunTests: boolean;
}

/**
 * The run's side of an agent task: it makes the plain-JSON task, hands it to the executor,
 * turns the executor's events into journal events (usage is charged against the budgets, and a
 * crossed budget aborts the attempt's signal), then applies the result: the staged files and
 * removals (checked again: a result is not trusted more than an agent), the learnings (scanned
 * for secrets) and the outcome.
 */
export function dispatchAgentTask(args: DispatchArgs): (task: PlannedTask, execution: TaskExecution) => Promise<TaskSuccess> {
  const host = hostname();
  return async (task, execution) => {
    const spec = taskSpec(args, task, execution, host);
    const stop = new AbortController();
    const signal = AbortSignal.any([execution.signal, stop.signal]);
    const onEvent = (event: ExecutorEvent) => {
      if (signal.aborted) return;
      if (event.type === 'usage') {
        try {
          execution.onUsage(event.usage);
        } catch (error) {
          stop.abort(error);
        }
      } else if (event.type === 'tool-call') {
        args.emit({ type: 'tool-call', runId: args.runId, at: event.at, task: task.id, tool: event.tool, ok: event.ok, detail: event.detail });
      } else if (event.worker !== 'in-process') {
        args.emit({ type: 'task-assign', runId: args.runId, at: args.at(), task: task.id, attempt: execution.attempt, worker: event.worker });
      }
    };
    const attempt = attemptKey(task.id, execution.attempt);
    let result: TaskResult;
    let lastTestRun: RunEventOf<'test-run'> | undefined;
    try {
      result = await args.executor.run(spec, { signal, onEvent });
      // An attempt the run has given up on (cancelled, timed out, its phase stopped) stages nothing.
      if (execution.signal.aborted) throw Object.assign(new TaskError('CANCELLED', 'the attempt was stopped'), { usage: result.usage, model: result.model });
      lastTestRun = await applyResult(args, task, result, attempt);
    } finally {
      args.stagedBytes.release(attempt);
    }
    if (stop.signal.aborted) throw Object.assign(stop.signal.reason as object, { usage: result.usage, model: result.model });
    if (result.outcome === 'done') {
      // A test result's counts are what run_tests recorded, never the agent's own.
      const value = task.result === 'test-results' ? overruleTestResult(result.result, lastTestRun) : result.result;
      return { result: value, usage: result.usage, model: result.model };
    }
    const info = result.error ?? { code: 'TASK_FAILED', message: 'the executor gave no reason' };
    const error = info.budget ? new BudgetExceededError(info.budget) : new TaskError(info.code, info.message);
    throw Object.assign(error, { usage: result.usage, model: result.model });
  };
}

function taskSpec(args: DispatchArgs, task: PlannedTask, execution: TaskExecution, host: string): TaskSpec {
  const agent = args.agents.get(task.agent)!;
  const view = new StagingView(args.folder.staging, args.visible.get(task.id));
  return {
    schemaVersion: TASK_SPEC_VERSION,
    runId: args.runId,
    workflow: args.plan.workflow,
    ...(args.plan.kind ? { kind: args.plan.kind } : {}),
    task: { id: task.id, phase: task.phase, agent: task.agent },
    attempt: execution.attempt,
    agent,
    system: buildSystem(agent, args.plan, args.expertise, args.briefing),
    prompt: buildTaskPrompt(task, args.plan, execution.needs, args.promptContext?.() ?? ''),
    resultSchema: task.result ?? 'summary',
    inputs: args.plan.inputs,
    needs: execution.needs,
    expertise: args.expertise,
    model: args.model,
    ...(researchOf(args, agent, task) ? { research: researchOf(args, agent, task)! } : {}),
    ...(task.budget ? { budget: task.budget } : {}),
    limits: {
      ...(task.timeoutMs !== undefined ? { timeoutMs: task.timeoutMs } : {}),
      ...(args.unsafeRunTests ? { unsafeRunTests: true } : {}),
      caps: resolveLimits(args.plan.limits, agent.limits),
      stagedBytesOfRun: args.stagedBytes.total,
    },
    workspace: { path: args.workspace, host, ...(args.base ? { base: { commit: args.base.commit, url: args.workspace } } : {}) },
    staging: { runDir: args.folder.dir, files: [...view.files(), ...view.notes()], removed: view.deletions().map((d) => d.path) },
  };
}

/**
 * The research tools a task gets: a research task (its result is `research`), or any task of an
 * agent that asks with `research: true`, when the provider has them and neither the workflow nor
 * the agent turned them off with `research: false`.
 */
function researchOf(args: DispatchArgs, agent: AgentDefinition, task: PlannedTask): ResearchTools | undefined {
  if (!args.research || args.plan.research === false || agent.research === false) return undefined;
  return task.result === 'research' || agent.research === true ? args.research : undefined;
}

/** Stages what an attempt wrote and removed, and keeps its learnings that hold no secret. */
async function applyResult(args: DispatchArgs, task: PlannedTask, result: TaskResult, attempt: string): Promise<RunEventOf<'test-run'> | undefined> {
  const { folder, emit, runId } = args;
  const provenance = { phase: task.phase, task: task.id, agent: task.agent };
  for (const change of [...result.writes.map((w) => w.path), ...result.removals]) checkPath(args.workspace, change);
  for (const write of result.writes) {
    if (Buffer.byteLength(write.content) > MAX_STAGED_BYTES) throw new PathError(`a result stages "${write.path}" over ${MAX_STAGED_BYTES} bytes`);
  }
  // Counted in one synchronous step with every running attempt's writes: the cap is exact.
  const caps = resolveLimits(args.plan.limits, args.agents.get(task.agent)?.limits);
  const writes = result.writes.map((write) => ({ path: write.path, bytes: Buffer.byteLength(write.content) }));
  const after = args.stagedBytes.commit(attempt, writes, result.removals, caps.stagedBytesPerRun);
  if (after !== undefined) throw new TaskError('STAGED_BYTES_LIMIT', `${overRunCap(after, caps.stagedBytesPerRun)}; nothing of this attempt was staged`);
  for (const write of result.writes) {
    const entry = await folder.staging.write(write.path, write.content, provenance);
    emit({ type: 'artifact-write', runId, at: args.at(), task: task.id, agent: task.agent, kind: entry.kind, path: entry.path, sha256: entry.sha256, size: entry.size });
  }
  for (const removal of result.removals) {
    await folder.staging.remove(removal, provenance);
    emit({ type: 'artifact-remove', runId, at: args.at(), task: task.id, agent: task.agent, path: removal });
  }
  let lastTestRun: RunEventOf<'test-run'> | undefined;
  for (const seen of result.testRuns) {
    lastTestRun = { type: 'test-run', runId, at: args.at(), task: task.id, ...seen };
    emit(lastTestRun);
  }
  args.guard.record(result.findings);
  for (const learning of result.learnings) {
    try {
      await args.guard.admit(learning, task.id);
    } catch (error) {
      if (error instanceof LearningRefused) continue;
      throw error;
    }
    emit({
      type: 'learning-record',
      runId,
      at: args.at(),
      task: task.id,
      agent: task.agent,
      insight: learning.insight,
      ...(learning.context ? { context: learning.context } : {}),
      filesAffected: learning.files_affected,
    });
  }
  return lastTestRun;
}

/** A path in a result must be one an agent's write tool would have accepted. */
function checkPath(workspace: string, repoPath: string): void {
  if (toRepoPath(workspace, repoPath) !== repoPath) throw new PathError(`a result stages "${repoPath}", which is not a normalised repository path`);
  assertWritable(repoPath, workspace);
}
