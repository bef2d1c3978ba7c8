import { statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { RunPlan } from '../engine/plan.js';
import type { Model } from '../providers/model.js';
import type { Executor } from '../executors/executor.js';
import type { AgentDefinition } from '../schema/agent.js';
import { selectProvider, type ProviderChoice, type UserPrice } from '../providers/select.js';
import type { ProviderDefinition } from '../providers/provider-definition.js';
import { PROVIDERS } from '../providers/registry.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import type { RunEvent, RunStatus } from '../schema/events.js';
import type { StagedFile } from '../schema/manifest.js';
import type { RunReport } from '../schema/report.js';
import type { Usage } from '../schema/usage.js';
import { executeRun } from './execute-run.js';
import type { DefinedWorkflow, TaskFunction } from './define-workflow.js';
import { RequestRateLimiter } from '../engine/rate-limit.js';
import type { Budget } from '../schema/workflow.js';
import { DURABILITY_MODES, type Durability } from '../staging/journal.js';
import { withRunLock } from '../staging/run-lock.js';
import { loadRun } from '../staging/run-store.js';
import { prepareRun, type PreparedRun } from './prepare-run.js';
import type { ResumePoint } from './resume.js';
import { UNSAFE_RUN_TESTS_ENV } from '../tools/sandbox.js';
import { secretValues } from '../runtime/logger.js';
import { createRedactor } from '../runtime/redact.js';
import { redactEarlierOutputs } from '../staging/late-secrets.js';
import { declaredEnvVars } from '../staging/secret-scan.js';
import type { ApprovalReply, OnApproval } from './approvals.js';
import type { ApprovalChannel } from '../schema/events.js';


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
  /**
   * What a model the price table does not know costs, USD per million tokens (`--price`). Without
   * it, a run with a dollar budget refuses such a model before it starts.
   */
  price?: UserPrice;
  /** The workflow's inputs, such as `{ service: 'twilio' }`. */
  inputs?: Record<string, unknown>;
  /** The workspace: the repository to work on. @default process.cwd() */
  cwd?: string;
  /** Called with every event of the run, in order. */
  onEvent?: (event: RunEvent) => void;
  /**
   * Called once the run is prepared (workflow, agents and expertise loaded, inputs checked,
   * planned), before anything is written: its plan and its warnings (skipped agent files,
   * shadowed agents, tools left out).
   */
  onPrepared?: (prepared: PreparedRun) => void;
  /** Aborting it cancels the run: nothing new starts and the run ends `cancelled`. */
  signal?: AbortSignal;
  /** Most tasks running at once: a whole number, or `Infinity` for no limit. @default 4 */
  concurrency?: number;
  /** @default 'anthropic' when ANTHROPIC_API_KEY is set, else 'offline' */
  provider?: string;
  /**
   * The providers `provider` names one of: the registry's, or a tool's own list (for example the
   * registry's plus one of its own). @default PROVIDERS
   */
  providers?: readonly ProviderDefinition[];
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
   * `false`: an ephemeral run, for a workflow of code functions that stages nothing. It writes
   * nothing at all (no run folder, journal, manifest, report or log) and cannot be resumed,
   * shown or applied; `runDir` is where its folder would have been. Refused for a workflow with
   * agent tasks or expertise domains, which need the run folder. @default true
   */
  persist?: boolean;
  /**
   * Let `run_tests` run model-written tests without an OS sandbox where bubblewrap cannot make one,
   * instead of refusing (`--unsafe-run-tests`, or ORCHESTRATE_UNSAFE_RUN_TESTS=1). Where the
   * sandbox works it is always used. @default false
   */
  unsafeRunTests?: boolean;
  /**
   * Answers the workflow's approvals in code (a phase with `approval:`). Without it, or when it
   * returns undefined, the run stops with status `awaiting-approval`; resume it with `approval`.
   */
  onApproval?: OnApproval;
  /**
   * `auto` approves every approval without asking (what `--yes` and `ORCHESTRATE_APPROVE=auto` set).
   * @default 'ask'
   */
  approve?: 'ask' | 'auto';
  /**
   * Runs the agent tasks: in this process by default, or on workers through a queue
   * (`queueExecutor({ redis })` from `orchestrate/queue`). Function tasks always run here.
   */
  executor?: Executor;
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
  /** The id of the interrupted run, or of the run awaiting approval. */
  resume: string;
  /**
   * The answer to the approval the run is waiting for (`orchestrate approve` / `reject`):
   * approved, it goes on from the journal; rejected, it ends `rejected`. Required to resume a run
   * awaiting approval, refused for any other run.
   */
  approval?: ApprovalReply & { via?: ApprovalChannel };
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
  /**
   * The result of each task that ended `done`, by task id (a function task's return value, an
   * agent task's structured result). The whole outcome of every task is in `report.tasks`.
   */
  results: Record<string, unknown>;
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
  // In place: one metadata call costs less than a trip through the thread pool.
  const info = statSync(workspace, { throwIfNoEntry: false });
  if (!info?.isDirectory()) throw new UserError('BAD_WORKSPACE', `workspace ${workspace} is not a directory`);
  if ('resume' in options && options.resume !== undefined) {
    // The run's id, a unique prefix of it, or `last`: the same lookup as show, apply and discard.
    const { runId, dir } = await loadRun(workspace, options.resume);
    // Held for the whole resume: a second resume (or an apply or discard) of the run is refused.
    const { loadResumePoint } = await import('./resume.js');
    return withRunLock(dir, async () => startRun(options, runtime, workspace, await loadResumePoint(workspace, runId, { answering: options.approval !== undefined })));
  }
  return startRun(options as RunWorkflowOptions | RunDefinedWorkflowOptions, runtime, workspace, undefined);
}

async function startRun(
  options: RunWorkflowOptions | RunDefinedWorkflowOptions | ResumeWorkflowOptions,
  runtime: Runtime,
  workspace: string,
  resume: ResumePoint | undefined,
): Promise<RunResult> {
  const prepared = await prepareRun({
    workflow: options.workflow ?? resume!.workflow,
    inputs: resume ? resume.inputs : ((options as RunWorkflowOptions).inputs ?? {}),
    ...(options.functions ? { functions: options.functions } : {}),
    workspace,
    runtime,
    // A resumed run keeps the provider it started with, unless told otherwise.
    provider: options.provider ?? (resume && !options.modelInstance ? recordedProvider(resume.provider, options.providers) : undefined),
    providers: options.providers,
    modelInstance: options.modelInstance !== undefined,
    budget: options.budget,
  });
  if (resume) (await import('./resume.js')).checkResumable(resume, prepared.workflowPlan);
  const { plan, kind } = prepared;
  const persist = options.persist !== false;
  if (!persist) refuseEphemeral(plan, resume !== undefined);
  options.onPrepared?.(prepared);
  // One redactor for the run: its events, results, files and recordings (see src/runtime/redact.ts).
  const redactor = createRedactor(secretValues(runtime.env, declaredEnvVars(plan.inputs, kind.secretEnvVars)));
  const provider = await selectProvider({
    redact: redactor.value,
    env: runtime.env,
    provider: prepared.provider,
    providers: options.providers,
    model: options.model ?? runtime.env.ORCHESTRATE_MODEL,
    instance: options.modelInstance,
    record: options.record,
    replay: options.replay,
    clock: runtime.clock,
    price: options.price,
    offlineRoles: kind.offlineRoles,
  });
  if (plan.budget?.costUsd !== undefined) refuseUnpriced(plan, prepared.agents, provider);
  // Checked against the repository before the run; the findings go into the report.
  // A resumed run keeps the findings made before it first started (its own staging and merge since would change them).
  // The staleness scan (and its glob) loads only for a workflow with expertise domains.
  const staleExpertise = resume?.fold.runStart
    ? (resume.fold.runStart.staleExpertise ?? [])
    : plan.domains.length
      ? await (await import('../expertise/stale.js')).staleBeforeRun(workspace, plan.domains, prepared.expertise)
      : [];
  // What a person changed since the subject's last apply: given to the agents first, recorded with the run's learnings.
  const observed = plan.domains.length ? await kind.observeRepository(workspace) : [];
  const expertise = observed.length ? { ...prepared.context, learnings: [...observed.map(({ insight, context }) => ({ insight, ...(context ? { context } : {}) })), ...prepared.context.learnings] } : prepared.context;
  const limiter = requestLimiter(options, runtime, options.modelInstance ? undefined : prepared.providerDefinition.defaultRequestsPerMinute);
  const durability = durabilityOf(options.durability ?? runtime.env.ORCHESTRATE_DURABILITY);
  const modelOverride = options.model ?? runtime.env.ORCHESTRATE_MODEL;

  const result = await executeRun({
    plan,
    agents: prepared.agents,
    provider,
    runtime,
    workspace,
    expertise,
    ...(observed.length ? { observed } : {}),
    kind,
    staleExpertise,
    ...(prepared.warnings.length ? { warnings: prepared.warnings } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    concurrency: options.concurrency ?? 4,
    ...(durability ? { durability } : {}),
    functions: prepared.functions,
    ...(limiter ? { limiter } : {}),
    ...(prepared.source !== undefined ? { source: prepared.source } : {}),
    ...(resume ? { resume } : {}),
    redactor,
    unsafeRunTests: options.unsafeRunTests === true || runtime.env[UNSAFE_RUN_TESTS_ENV] === '1',
    approval: {
      auto: options.approve === 'auto' || (options.approve === undefined && runtime.env.ORCHESTRATE_APPROVE === 'auto'),
      ...(options.onApproval ? { onApproval: options.onApproval } : {}),
      ...('approval' in options && options.approval ? { answer: { via: 'code', ...options.approval } } : {}),
    },
    ...(options.executor ? { executor: options.executor } : {}),
    ...(modelOverride ? { modelOverride } : {}),
    ...(persist ? {} : { persist }),
  });
  // A variable declared during the run whose name did not look secret: cut from what was written before.
  await redactEarlierOutputs(result.runDir, options.record, redactor.late());
  return result;
}

/** An ephemeral run has no folder: what needs one (agents stage files, domains merge learnings, a resume reads the journal) is refused before the run. */
function refuseEphemeral(plan: RunPlan, resuming: boolean): void {
  const agents = plan.tasks.filter((task) => task.kind === 'agent').map((task) => task.id);
  const why = resuming
    ? 'a resume reads the run\'s journal'
    : agents.length
      ? `agent tasks (${agents.slice(0, 3).join(', ')}${agents.length > 3 ? ', ...' : ''}) stage their work in the run folder`
      : plan.domains.length
        ? `the workflow's expertise domains (${plan.domains.join(', ')}) are merged from the run folder`
        : undefined;
  if (why) throw new UserError('EPHEMERAL_NEEDS_FOLDER', `persist: false is for workflows of code functions only: ${why}; leave persist at its default`);
}

/** A dollar budget cannot hold a model whose price is unknown (it would count as $0): refused before anything runs. */
function refuseUnpriced(plan: RunPlan, agents: ReadonlyMap<string, AgentDefinition>, provider: ProviderChoice): void {
  const models = new Set(plan.tasks.flatMap((task) => (task.kind === 'agent' && agents.has(task.agent) ? [provider.resolve(agents.get(task.agent)!.model).modelId] : [])));
  const unknown = [...models].filter((id) => !provider.priced(id));
  if (unknown.length) {
    throw new UserError(
      'UNKNOWN_PRICE',
      `no price is known for ${unknown.map((id) => `"${id}"`).join(', ')}, so a dollar budget cannot be enforced; give one with --price <input>/<output> (USD per million tokens), or run without --budget-usd`,
    );
  }
}

function recordedProvider(name: string | undefined, providers: readonly ProviderDefinition[] = PROVIDERS): string | undefined {
  return providers.some((provider) => provider.name === name) ? name : undefined;
}

function requestLimiter(options: RunWorkflowOptions | RunDefinedWorkflowOptions | ResumeWorkflowOptions, runtime: Runtime, providerDefault: number | undefined): RequestRateLimiter | undefined {
  if (options.limiter) return options.limiter;
  const fromEnv = runtime.env.ORCHESTRATE_REQUESTS_PER_MINUTE;
  const rpm = options.requestsPerMinute ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : providerDefault);
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

