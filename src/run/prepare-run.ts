import path from 'node:path';
import { scanAgents, whySkipped, type AgentScan } from '../agents/load.js';
import { planRun, type RunPlan } from '../engine/plan.js';
import { UserError, type ValidationProblem } from '../errors.js';
import { validateWorkflowGraph } from '../engine/validate.js';
import { expertiseContext } from '../expertise/context.js';
import type { PreparedKind } from '../kinds/kind.js';
import { kindResultSchemas, prepareKind } from '../kinds/registry.js';
import type { ResultSchemas } from '../schema/results.js';
import type { LoadedExpertise } from '../expertise/load.js';
import type { ExpertiseContext } from '../providers/model.js';
import type { ProviderDefinition } from '../providers/provider-definition.js';
import { chooseProvider } from '../providers/registry.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AgentDefinition } from '../schema/agent.js';
import { Budget, type Workflow } from '../schema/workflow.js';
import { isDefinedWorkflow, type DefinedWorkflow, type RegisteredFunction, type TaskFunction } from './define-workflow.js';
import { loadWorkflow, workflowDirs } from './load-workflow.js';

/** Where agents are looked up, first definition winning: the workspace's, then Claude Code's folder, then the package's. */
export function agentDirs(workspace: string, packageRoot: string): string[] {
  return [path.join(workspace, 'agents'), path.join(workspace, '.claude', 'agents'), path.join(packageRoot, 'agents')];
}

/** What {@link prepareRun} needs: the workflow, its inputs, and who plays the agents. */
export interface PrepareRunOptions {
  /** A workflow name, a YAML path, or a workflow made with `defineWorkflow`. */
  workflow: string | DefinedWorkflow;
  inputs?: Record<string, unknown>;
  functions?: Record<string, TaskFunction>;
  /** The workspace, resolved. */
  workspace: string;
  runtime: Pick<Runtime, 'env' | 'packageRoot'>;
  provider?: string | undefined;
  /** The providers to choose from. @default the registry's (`providers/registry.ts`) */
  providers?: readonly ProviderDefinition[] | undefined;
  /** True when a model object plays every agent (tests, custom providers): no catalog check. */
  modelInstance?: boolean;
  /** Limits on the whole run, over the workflow's own run budget. */
  budget?: Budget | undefined;
}

/** A run, prepared: everything loaded and checked, nothing written, no provider created yet. */
export interface PreparedRun {
  workflow: Workflow;
  /** The workflow's file, or `defineWorkflow(<name>)`. */
  file: string;
  /** The workflow as given (a name or a YAML path) so a resume loads it again; undefined for code. */
  source: string | undefined;
  defined: DefinedWorkflow | undefined;
  functions: Map<string, RegisteredFunction>;
  agents: ReadonlyMap<string, AgentDefinition>;
  agentScan: AgentScan;
  /** The plan, with the run budget given in options applied. */
  plan: RunPlan;
  /** The plan as the workflow alone makes it (what a resume is checked against). */
  workflowPlan: RunPlan;
  /** The provider's name: the one asked for, else the registry's first that the environment chooses. */
  provider: string;
  /** That provider's registry entry: how it names models and prices them. */
  providerDefinition: ProviderDefinition;
  /** The workflow's kind bound to the inputs (its subject, such as the integration's service). */
  kind: PreparedKind;
  /** Each domain's expertise (the workspace's, else the package seed), in `plan.domains` order. */
  expertise: Array<LoadedExpertise | undefined>;
  /** The bounded excerpt every agent is given. */
  context: ExpertiseContext;
  /** Problems that did not stop the run: skipped agent files, shadowed names, tools the plan's agents were not given. */
  warnings: string[];
}

/**
 * Prepares a run the one way every entry point does (runWorkflow, `--dry-run`, `validate`,
 * `graph`, the live tree): loads the workflow, agents and expertise, checks the inputs, plans,
 * and chooses the provider. Pure reading: nothing is written and no model is created, so a dry
 * run and a real run cannot disagree. Bad input is a {@link UserError}.
 *
 * @example
 * const prepared = await prepareRun({ workflow: 'integrate', inputs: { service: 'twilio' }, workspace, runtime: createRuntime() });
 * console.log(prepared.plan.tasks.length, prepared.warnings);
 */
export async function prepareRun(options: PrepareRunOptions): Promise<PreparedRun> {
  const { workspace, runtime } = options;
  const { workflow, file, source, defined, functions, agentScan, unloadableAgents, resultSchemas } = await prepareWorkflow(options);
  const make = () => planRun({ workflow, workflowFile: file, inputs: options.inputs ?? {}, agents: agentScan.agents, functions: new Set(functions.keys()), unloadableAgents, resultSchemas });
  const workflowPlan = defined && agentScan.agents.size === 0 ? cachedPlan(defined, options.inputs ?? {}, functions, make) : make();
  const plan = options.budget ? { ...workflowPlan, budget: { ...workflowPlan.budget, ...runBudget(options.budget) } } : workflowPlan;

  const providerDefinition = chooseProvider(options.provider, runtime.env, options.providers);
  const provider = providerDefinition.name;
  // The workflow's kind checks the inputs before anything is written (a workflow without one gets
  // the generic behaviour, so an input it calls `service` means nothing more); the offline model
  // plays an integration from the catalog, so there the service must be one the catalog knows.
  const kind = await prepareKind(plan.kind, plan.inputs, { offline: providerDefinition.playsKindRoles === true && !options.modelInstance });
  const service = kind.subject;
  const expertise = plan.domains.length ? await loadDomains(workspace, runtime.packageRoot, plan.domains) : [];
  return {
    workflow,
    file,
    source,
    defined,
    functions,
    agents: agentScan.agents,
    agentScan,
    plan,
    workflowPlan,
    provider,
    providerDefinition,
    kind,
    expertise,
    context: expertiseContext(expertise[0]?.data, service),
    // The agents the plan uses say what they were not given; the others stay quiet.
    warnings: [...agentScan.warnings, ...[...new Set(plan.tasks.map((t) => t.agent))].flatMap((name) => agentScan.agents.get(name)?.warnings ?? [])],
  };
}

/** Plans of workflows made with `defineWorkflow`, by their inputs and function names (at most {@link PLANS_PER_WORKFLOW} each). */
const PLANS = new WeakMap<DefinedWorkflow, Map<string, RunPlan>>();
const PLANS_PER_WORKFLOW = 32;

/**
 * A code workflow's plan, made once and reused by every call with the same inputs and
 * functions: the workflow is immutable once defined and reads no agent file, so its plan cannot
 * change, and a caller running it often pays for validation and planning once. Plans are
 * treated as read-only from here on (a run budget given in options makes a copy).
 */
function cachedPlan(defined: DefinedWorkflow, inputs: Record<string, unknown>, functions: ReadonlyMap<string, RegisteredFunction>, make: () => RunPlan): RunPlan {
  let plans = PLANS.get(defined);
  if (!plans) PLANS.set(defined, (plans = new Map()));
  let key: string;
  try {
    key = `${JSON.stringify(inputs)}\u0000${[...functions.keys()].join('\u0000')}`;
  } catch {
    return make(); // inputs that are not JSON: planning says what is wrong with them
  }
  let plan = plans.get(key);
  if (!plan) {
    plan = make();
    if (plans.size >= PLANS_PER_WORKFLOW) plans.delete(plans.keys().next().value!);
    plans.set(key, plan);
  }
  return plan;
}

/** A workflow with its agents and functions, loaded but not yet given inputs. */
export interface PreparedWorkflow {
  workflow: Workflow;
  file: string;
  source: string | undefined;
  defined: DefinedWorkflow | undefined;
  functions: Map<string, RegisteredFunction>;
  agentScan: AgentScan;
  /** Agents whose files were skipped: name -> why, so a task needing one says why it is missing. */
  unloadableAgents: Map<string, string>;
  /** The result schemas its tasks may name: the generic ones and its kind's. */
  resultSchemas: ResultSchemas;
}

/**
 * The first half of {@link prepareRun}, for what needs no inputs (`graph`, `validate`): loads
 * the workflow (by name, path or `defineWorkflow`), its functions and the agents.
 */
export async function prepareWorkflow(options: Pick<PrepareRunOptions, 'workflow' | 'functions' | 'workspace' | 'runtime'>): Promise<PreparedWorkflow> {
  const { workspace, runtime } = options;
  const defined = isDefinedWorkflow(options.workflow) ? options.workflow : undefined;
  const given = defined ? undefined : (options.workflow as string);
  const { workflow, file } = defined
    ? { workflow: defined.workflow, file: `defineWorkflow(${defined.workflow.name})` }
    : await loadWorkflow(given!, workflowDirs(workspace, runtime.packageRoot));
  const functions = new Map<string, RegisteredFunction>(defined?.functions ?? []);
  for (const [name, run] of Object.entries(options.functions ?? {})) functions.set(name, { run });
  // A workflow of code functions only has no agent to load (nor their YAML to parse).
  const hasAgentTasks = workflow.phases.some((phase) => phase.tasks.some((task) => task.function === undefined));
  const agentScan: AgentScan = hasAgentTasks ? await scanAgents(agentDirs(workspace, runtime.packageRoot)) : { agents: new Map(), skipped: [], shadowed: [], warnings: [] };
  const unloadableAgents = new Map(agentScan.skipped.map((s) => [s.name, `${s.file}: ${whySkipped(s)}`]));
  const source = given === undefined ? undefined : /\.ya?ml$/.test(given) ? file : given;
  const resultSchemas = await kindResultSchemas(workflow.kind);
  return { workflow, file, source, defined, functions, agentScan, unloadableAgents, resultSchemas };
}

/** Every problem of a prepared workflow's graph against its agents and functions (what `validate` and `graph` report). */
export function workflowProblems(prepared: PreparedWorkflow): ValidationProblem[] {
  return validateWorkflowGraph(prepared.workflow, prepared.file, new Set(prepared.agentScan.agents.keys()), new Set(prepared.functions.keys()), prepared.unloadableAgents, prepared.resultSchemas);
}

/** Each domain's expertise; the expertise store (its archive, lock and merge) loads only for a workflow that has domains. */
async function loadDomains(workspace: string, packageRoot: string, domains: readonly string[]): Promise<Array<LoadedExpertise | undefined>> {
  const { loadExpertise } = await import('../expertise/store.js');
  return Promise.all(domains.map((domain) => loadExpertise(workspace, packageRoot, domain)));
}

/** Checks a run budget given in code or on the command line. */
function runBudget(budget: Budget): Budget {
  const parsed = Budget.safeParse(budget);
  if (!parsed.success) {
    throw new UserError('BAD_BUDGET', `budget: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
