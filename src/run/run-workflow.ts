import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadAgents } from '../agents/load.js';
import { prepareKind } from '../kinds/registry.js';
import { planRun, type RunPlan } from '../engine/plan.js';
import { UserError } from '../errors.js';
import { expertiseContext } from '../expertise/context.js';
import { staleBeforeRun } from '../expertise/stale.js';
import { loadExpertise } from '../expertise/store.js';
import type { Model } from '../providers/model.js';
import { selectProvider, type ProviderName } from '../providers/select.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import type { RunEvent, RunStatus } from '../schema/events.js';
import type { StagedFile } from '../schema/manifest.js';
import type { RunReport } from '../schema/report.js';
import type { Usage } from '../schema/usage.js';
import { loadWorkflow, workflowDirs } from './load-workflow.js';
import { executeRun } from './execute-run.js';
import { isDefinedWorkflow, type DefinedWorkflow, type RegisteredFunction, type TaskFunction } from './define-workflow.js';
import { RequestRateLimiter } from '../engine/rate-limit.js';
import { Budget } from '../schema/workflow.js';
import { DURABILITY_MODES, type Durability } from '../staging/journal.js';
import { withRunLock } from '../staging/run-lock.js';
import { loadRun } from '../staging/run-store.js';
import { checkResumable, loadResumePoint, type ResumePoint } from './resume.js';
import { UNSAFE_RUN_TESTS_ENV } from '../tools/sandbox.js';
import { secretValues } from '../runtime/logger.js';
import { createRedactor } from '../runtime/redact.js';
import { declaredEnvVars } from '../staging/secret-scan.js';

/** Model requests per minute when the run talks to Anthropic and no limit was given (tier 1's limit). */
const DEFAULT_ANTHROPIC_RPM = 50;

/** Options of {@link runWorkflow}. */
export interface RunWorkflowOptions {
  /** A workflow name (`integrate`) found in `<cwd>/workflows/` or the package, or a path to a YAML file. */
  workflow: string;
  /** Functions for the `function:` tasks of a YAML workflow, by name. */
  functions?: Record<string, TaskFunction>;
  /**
   * Most model requests per minute, shared by every task of the run (or pass a `limiter` to share
   * one across runs). @default 50 with the Anthropic provider (or ORCHESTRATE_REQUESTS_PER_MINUTE), else no limit
   */
  requestsPerMinute?: number;
  /** A limiter shared with other runs; overrides `requestsPerMinute`. */
  limiter?: RequestRateLimiter;
  /** Limits on the whole run, over the workflow's own run budget (`--budget-usd` sets `costUsd`). */
  budget?: Budget;
  /** The workflow's inputs, such as `{ service: 'twilio' }`. */
  inputs?: Record<string, unknown>;
  /** The workspace: the repository to work on. @default process.cwd() */
  cwd?: string;
  /** Called with every event of the run, in order. */
  onEvent?: (event: RunEvent) => void;
  /** Aborting it cancels the run: nothing new starts and the run ends `cancelled`. */
  signal?: AbortSignal;
  /** Most tasks running at once. @default 4 */
  concurrency?: number;
  /** @default 'anthropic' when ANTHROPIC_API_KEY is set, else 'offline' */
  provider?: ProviderName;
  /** A model alias or id for every agent, overriding their frontmatter. */
  model?: string;
  /** A model object for every agent, such as a `ScriptedModel` in tests. */
  modelInstance?: Model;
  /** Save every model exchange of the run in this directory, for `replay`. */
  record?: string;
  /** Answer every model request from a recording made with `record`: no network, deterministic; a request that differs from the recording fails the task. */
  replay?: string;
  /**
   * When the run's journal reaches the disk: `sync` (each task's end fsynced before its
   * dependents start), `batched` (events written together and fsynced off the event loop; a
   * crash repeats at most the tasks whose end was not yet flushed) or `exit` (written when the
   * run flushes: before the expertise merge, the manifest and its end). Every mode flushes
   * before anything irreversible. @default 'batched', or ORCHESTRATE_DURABILITY
   */
  durability?: Durability;
  /** Clock, ids and environment; real defaults. */
  runtime?: Partial<Runtime>;
  /**
   * Let `run_tests` run model-written tests without an OS sandbox where bubblewrap cannot make one,
   * instead of refusing (`--unsafe-run-tests`, or ORCHESTRATE_UNSAFE_RUN_TESTS=1). Where the
   * sandbox works it is always used. @default false
   */
  unsafeRunTests?: boolean;
}

/** Options of {@link runWorkflow} for a workflow made in code with `defineWorkflow`. */
export type RunDefinedWorkflowOptions = Omit<RunWorkflowOptions, 'workflow'> & { workflow: DefinedWorkflow };

/**
 * Options of {@link runWorkflow} to resume an interrupted run (Ctrl-C, or its process died).
 * The workflow and inputs are the run's own, from its journal; pass `workflow` only for a
 * workflow made in code with `defineWorkflow`. Done tasks are not run again; tasks that were in
 * flight run again from their start; the learnings are merged once.
 */
export type ResumeWorkflowOptions = Omit<RunWorkflowOptions, 'workflow' | 'inputs'> & {
  /** The id of the interrupted run. */
  resume: string;
  workflow?: string | DefinedWorkflow;
};

/** What a run returns. */
export interface RunResult {
  runId: string;
  status: RunStatus;
  /** `pending-commits/<run-id>/` */
  runDir: string;
  stagedFiles: StagedFile[];
  notes: StagedFile[];
  report: RunReport;
  /** The report as text, in the workflow's output format. */
  reportText: string;
  usage: Usage;
  /** Which provider played the agents, and why, in one line. */
  banner: string;
}

/**
 * Runs a workflow over a repository: load, plan, execute, stage, improve the expertise, report.
 * Bad input throws a {@link UserError} before anything is written.
 *
 * @example
 * const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd, onEvent: console.log });
 * console.log(result.status, result.runDir);
 */
export async function runWorkflow(options: RunWorkflowOptions | RunDefinedWorkflowOptions | ResumeWorkflowOptions): Promise<RunResult> {
  const runtime = createRuntime(options.runtime);
  const workspace = path.resolve(options.cwd ?? process.cwd());
  const info = await stat(workspace).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError('BAD_WORKSPACE', `workspace ${workspace} is not a directory`);
  if ('resume' in options && options.resume !== undefined) {
    const runId = options.resume;
    // Held for the whole resume: a second resume (or an apply or discard) of the run is refused.
    const { dir } = await loadRun(workspace, runId);
    return withRunLock(dir, async () => startRun(options, runtime, workspace, await loadResumePoint(workspace, runId)));
  }
  return startRun(options as RunWorkflowOptions | RunDefinedWorkflowOptions, runtime, workspace, undefined);
}

async function startRun(
  options: RunWorkflowOptions | RunDefinedWorkflowOptions | ResumeWorkflowOptions,
  runtime: Runtime,
  workspace: string,
  resume: ResumePoint | undefined,
): Promise<RunResult> {
  const given = options.workflow ?? resume!.workflow;
  const defined = isDefinedWorkflow(given) ? given : undefined;
  const { workflow, file } = defined
    ? { workflow: defined.workflow, file: `defineWorkflow(${defined.workflow.name})` }
    : await loadWorkflow(given as string, workflowDirs(workspace, runtime.packageRoot));
  const functions = new Map<string, RegisteredFunction>(defined?.functions ?? []);
  for (const [name, run] of Object.entries(options.functions ?? {})) functions.set(name, { run });
  const agents = await loadAgents([
    path.join(workspace, 'agents'),
    path.join(workspace, '.claude', 'agents'),
    path.join(runtime.packageRoot, 'agents'),
  ]);
  const inputs = resume ? resume.inputs : ((options as RunWorkflowOptions).inputs ?? {});
  const planned: RunPlan = planRun({ workflow, workflowFile: file, inputs, agents, functions: new Set(functions.keys()) });
  const plan: RunPlan = options.budget ? { ...planned, budget: { ...planned.budget, ...runBudget(options.budget) } } : planned;
  if (resume) checkResumable(resume, planned);
  // The kind checks the inputs before anything is written; for the offline model, it must know the subject.
  const loose = prepareKind(plan.kind, plan.inputs, { offline: false });
  // One redactor for the run: its events, results, files and recordings (see src/runtime/redact.ts).
  const redactor = createRedactor(secretValues(runtime.env, declaredEnvVars(plan.inputs)));
  const provider = await selectProvider({
    redact: redactor.value,
    env: runtime.env,
    // A resumed run keeps the provider it started with, unless told otherwise.
    provider: options.provider ?? (resume && !options.modelInstance ? recordedProvider(resume.provider) : undefined),
    model: options.model ?? runtime.env.ORCHESTRATE_MODEL,
    instance: options.modelInstance,
    record: options.record,
    replay: options.replay,
    clock: runtime.clock,
    offlineRoles: loose.offlineRoles,
  });
  const kind = provider.provider === 'offline' && !options.modelInstance ? prepareKind(plan.kind, plan.inputs, { offline: true }) : loose;
  const service = kind.subject;
  const expertise = await Promise.all(plan.domains.map((domain) => loadExpertise(workspace, runtime.packageRoot, domain)));
  const context = expertiseContext(expertise[0]?.data, service);
  // Checked against the repository before the run; the findings go into the report.
  // A resumed run keeps the findings made before it first started (its own staging and merge since would change them).
  const staleExpertise = resume?.fold.runStart ? (resume.fold.runStart.staleExpertise ?? []) : await staleBeforeRun(workspace, plan.domains, expertise);
  const limiter = requestLimiter(options, runtime, provider.provider);
  const durability = durabilityOf(options.durability ?? runtime.env.ORCHESTRATE_DURABILITY);

  return executeRun({
    plan,
    agents,
    provider,
    runtime,
    workspace,
    expertise: context,
    kind,
    staleExpertise,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    concurrency: options.concurrency ?? 4,
    ...(durability ? { durability } : {}),
    functions,
    ...(limiter ? { limiter } : {}),
    ...(defined ? {} : { source: /\.ya?ml$/.test(given as string) ? file : (given as string) }),
    ...(resume ? { resume } : {}),
    redactor,
    unsafeRunTests: options.unsafeRunTests === true || runtime.env[UNSAFE_RUN_TESTS_ENV] === '1',
  });
}

function recordedProvider(name: string | undefined): ProviderName | undefined {
  return name === 'offline' || name === 'anthropic' ? name : undefined;
}

function requestLimiter(options: RunWorkflowOptions | RunDefinedWorkflowOptions | ResumeWorkflowOptions, runtime: Runtime, provider: string): RequestRateLimiter | undefined {
  if (options.limiter) return options.limiter;
  const fromEnv = runtime.env.ORCHESTRATE_REQUESTS_PER_MINUTE;
  const rpm = options.requestsPerMinute ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : provider === 'anthropic' ? DEFAULT_ANTHROPIC_RPM : undefined);
  if (rpm === undefined) return undefined;
  if (!Number.isInteger(rpm) || rpm < 1) {
    throw new UserError('BAD_RATE_LIMIT', `requests per minute must be a whole number of at least 1, not ${String(fromEnv ?? rpm)}`);
  }
  return new RequestRateLimiter({ requestsPerMinute: rpm, clock: runtime.clock });
}

function durabilityOf(value: string | undefined): Durability | undefined {
  if (value === undefined || value === '') return undefined;
  if ((DURABILITY_MODES as readonly string[]).includes(value)) return value as Durability;
  throw new UserError('BAD_DURABILITY', `durability must be one of ${DURABILITY_MODES.join(', ')}, not "${value}"`);
}

/** Checks a run budget given in code or on the command line. */
function runBudget(budget: Budget): Budget {
  const parsed = Budget.safeParse(budget);
  if (!parsed.success) {
    throw new UserError('BAD_BUDGET', `budget: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
