import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadAgents } from '../agents/load.js';
import { requireService } from '../catalog/catalog.js';
import { planRun, type RunPlan } from '../engine/plan.js';
import { UserError } from '../errors.js';
import { expertiseContext } from '../expertise/context.js';
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

/** Options of {@link runWorkflow}. */
export interface RunWorkflowOptions {
  /** A workflow name (`integrate`) found in `<cwd>/workflows/` or the package, or a path to a YAML file. */
  workflow: string;
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
  /** Clock, ids and environment; real defaults. */
  runtime?: Partial<Runtime>;
}

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
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
  const runtime = createRuntime(options.runtime);
  const workspace = path.resolve(options.cwd ?? process.cwd());
  const info = await stat(workspace).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError('BAD_WORKSPACE', `workspace ${workspace} is not a directory`);

  const { workflow, file } = await loadWorkflow(options.workflow, workflowDirs(workspace, runtime.packageRoot));
  const agents = await loadAgents([
    path.join(workspace, 'agents'),
    path.join(workspace, '.claude', 'agents'),
    path.join(runtime.packageRoot, 'agents'),
  ]);
  const plan: RunPlan = planRun({ workflow, workflowFile: file, inputs: options.inputs ?? {}, agents });
  const provider = await selectProvider({
    env: runtime.env,
    provider: options.provider,
    model: options.model ?? runtime.env.ORCHESTRATE_MODEL,
    instance: options.modelInstance,
  });
  const service = typeof plan.inputs.service === 'string' ? plan.inputs.service : undefined;
  const catalogEntry = service && provider.provider === 'offline' && !options.modelInstance ? requireService(service) : undefined;
  const expertise = await Promise.all(plan.domains.map((domain) => loadExpertise(workspace, runtime.packageRoot, domain)));
  const context = expertiseContext(expertise[0]?.data, service);

  return executeRun({
    plan,
    agents,
    provider,
    runtime,
    workspace,
    expertise: context,
    catalogCategory: catalogEntry?.category,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    concurrency: options.concurrency ?? 4,
  });
}
