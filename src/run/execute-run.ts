import { realpathSync } from 'node:fs';
import { executePlan, type TaskExecutor, type TaskOutcome, type TaskSuccess } from '../engine/scheduler.js';
import type { RequestRateLimiter } from '../engine/rate-limit.js';
import type { RunPlan } from '../engine/plan.js';
import { errorInfo, UserError } from '../errors.js';
import type { LearningUpdate } from '../expertise/merge.js';
import { domainChanges, writeChangeRecord } from '../expertise/record.js';
import type { ExpertiseChangeRecord, StaleFinding } from '../schema/expertise.js';
import type { ExpertiseContext } from '../providers/model.js';
import type { ProviderChoice } from '../providers/select.js';
import type { PreparedKind } from '../kinds/kind.js';
import { buildReport } from '../report/build.js';
import { renderReport } from '../report/render.js';
import { closeFileLogger, createFileLogger, secretValues, type Logger } from '../runtime/logger.js';
import { createRedactor, type Redactor } from '../runtime/redact.js';
import { StagedBytes } from '../staging/staged-bytes.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AgentDefinition } from '../schema/agent.js';
import { JOURNAL_SCHEMA_VERSION, type RunEvent } from '../schema/events.js';
import { MANIFEST_SCHEMA_VERSION, type Manifest, type SecretFinding } from '../schema/manifest.js';
import { addUsage, emptyUsage, type Usage } from '../schema/usage.js';
import { commitMessage } from '../staging/commit-message.js';
import type { Durability } from '../staging/journal.js';
import { RunFolder } from '../staging/run-folder.js';
import { visibleTasks } from '../staging/staging-view.js';
import { SecretGuard } from '../staging/secret-guard.js';
import { currentOwner } from '../staging/run-state.js';
import { declaredEnvVars, formatFinding } from '../staging/secret-scan.js';
import { blockingFindings, scanStagedRun } from '../staging/staged-run.js';
import type { RunResult } from './run-workflow.js';
import { RESULT_SCHEMAS } from '../schema/results.js';
import { runFunctionTask, type RegisteredFunction } from './define-workflow.js';
import type { ResumePoint } from './resume.js';
import { ApprovalDesk, type ApprovalReply, type OnApproval } from './approvals.js';
import type { ApprovalDecisionEvent } from '../schema/events.js';
import { RunFold } from './resume-fold.js';
import type { Executor } from '../executors/executor.js';
import { inProcessExecutor } from '../executors/in-process.js';

export interface ExecuteRunArgs {
  plan: RunPlan;
  agents: ReadonlyMap<string, AgentDefinition>;
  provider: ProviderChoice;
  runtime: Runtime;
  workspace: string;
  expertise: ExpertiseContext;
  /** The workflow's kind, bound to the run's inputs (src/kinds/). */
  kind: PreparedKind;
  /** Learnings the kind observed in the repository before the run ({@link PreparedKind.observeRepository}). */
  observed?: LearningUpdate[];
  /** What the staleness check found in the expertise before the run; goes into the report. */
  staleExpertise?: StaleFinding[];
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  concurrency: number;
  /** The functions of the plan's function tasks, by name. */
  functions?: ReadonlyMap<string, RegisteredFunction>;
  /** Shared limit on model requests per minute; every agent's model calls go through it. */
  limiter?: RequestRateLimiter;
  /** The workflow as given (a name or a YAML file's path), recorded so a resume loads it again. */
  source?: string;
  /** Resume this interrupted run (its journal folded) instead of starting a new one. */
  resume?: ResumePoint;
  /** Let `run_tests` run without an OS sandbox where none exists. @default false */
  unsafeRunTests?: boolean;
  /** When the journal's events reach the disk. @default 'batched' */
  durability?: Durability;
  /** The run's redactor; made from the API key and the service's variables in `runtime.env` when not given. */
  redactor?: Redactor;
  /** What preparing the run found but did not stop it (skipped agent files, shadowed agents), for the journal. */
  warnings?: string[];
  /** How approvals are answered: automatically, by the caller's function, or with a given answer. */
  approval?: RunApprovalOptions;
  /** Runs the agent tasks. @default in this process */
  executor?: Executor;
  /** False for an ephemeral run: nothing is written (no run folder, journal, log or report). @default true */
  persist?: boolean;
  /** The run's model override (`--model`), handed to executors that resolve models themselves. */
  modelOverride?: string;
}

/** How a run's approvals are answered. */
export interface RunApprovalOptions {
  /** Approve without asking (`--yes`, `approve: auto`). */
  auto?: boolean;
  onApproval?: OnApproval;
  /** The answer to the approval a resumed run stopped at (`orchestrate approve` / `reject`). */
  answer?: ApprovalReply & { via: ApprovalDecisionEvent['via'] };
}

/** The result of each task that ended `done`, by task id, in declaration order. */
function resultsOf(outcomes: readonly TaskOutcome[]): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  for (const outcome of outcomes) if (outcome.status === 'done') results[outcome.task.id] = outcome.result;
  return results;
}

/** Events logged at info level; at debug every event is. */
/** Searches and fetches a research task may make per request, each (the API's `max_uses`). */
const RESEARCH_MAX_USES = 5;

const INFO_EVENTS: ReadonlySet<RunEvent['type']> = new Set(['run-start', 'phase-start', 'phase-end', 'run-end', 'expertise-merge']);

/** Executes a validated plan: the run folder, the agent loops, staging, expertise merge, report. */
export async function executeRun(args: ExecuteRunArgs): Promise<RunResult> {
  const { plan, runtime, provider } = args;
  if (!(Number.isInteger(args.concurrency) || args.concurrency === Infinity) || args.concurrency < 1) {
    throw new UserError('BAD_CONCURRENCY', `concurrency must be a whole number of at least 1, or Infinity, not ${args.concurrency}`);
  }
  const clock = runtime.clock;
  const at = () => new Date(clock.now()).toISOString();
  const workspace = realpathSync(args.workspace);
  const { kind } = args;
  const service = kind.subject;
  const resume = args.resume;
  const runId = resume?.runId ?? runtime.newRunId(service ?? plan.workflow);
  const persist = args.persist !== false;
  // A run of code functions only stages nothing: no repository base, no commit message.
  const hasAgents = plan.tasks.some((task) => task.kind === 'agent');
  const folder = new RunFolder(workspace, runId, args.durability, { persist });
  if (resume) await folder.reopen();
  else await folder.create();
  // Redacted by field path and by value: the API key and the service's declared variables.
  const fileLogger = persist
    ? createFileLogger(folder.logFile, { level: runtime.env.ORCHESTRATE_LOG_LEVEL ?? 'info', secrets: secretValues(runtime.env, declaredEnvVars(plan.inputs, kind.secretEnvVars)) })
    : undefined;
  const logger: RunLog = fileLogger ?? NO_LOG;
  const started = clock.now();
  const startedAt = resume?.manifest.startedAt ?? at();
  // The live state of the run: the fold of its journal, event by event, as a resume folds it.
  const fold = resume?.fold ?? new RunFold(true);
  // The commit the run reads: apply merges its staged files three ways from it.
  const base = resume ? resume.manifest.base : hasAgents ? await (await import('../git/repository.js')).repositoryHead(workspace) : undefined;
  // Secrets: learnings are scanned as they are recorded, staged files and notes at the end.
  const guard = new SecretGuard(plan.inputs, runtime.env, kind.secretEnvVars);
  let findings: SecretFinding[] = [];
  let secretEnvVars = declaredEnvVars(plan.inputs, kind.secretEnvVars);
  let runUsage: Usage | undefined;
  const defaultModel = provider.resolve('inherit').modelId;

  // Every output of the run is made from redacted events, results and files: see src/runtime/redact.ts.
  const redactor = args.redactor ?? createRedactor(secretValues(runtime.env, secretEnvVars));
  redactor.add(secretValues(runtime.env, secretEnvVars));
  // The log's cost follows its level: every event in full at debug, the run's milestones at
  // info (a task's events are in the journal; a line per task cost more than the task).
  const debug = logger.isLevelEnabled('debug');
  const info = logger.isLevelEnabled('info');
  const emit = (made: RunEvent) => {
    // A task's start holds only ids from the plan, and a clean end's result was redacted where
    // the executor returned it (below): the per-task events skip a second pass.
    const event = made.type === 'task-start' || (made.type === 'task-end' && !made.error) ? made : redactor.value(made);
    folder.journal.append(event);
    fold.apply(event);
    if (event.type === 'model-retry') {
      // One line per retry, with what a user watching a slow run wants: the status, the wait, the attempt.
      const { task, attempt, status, delayMs, code } = event;
      logger.warn({ event: event.type, task, attempt, status, delayMs, code }, `model request failed (${status || 'no connection'}); retry in ${delayMs} ms`);
    } else if (debug) logger.debug({ event }, event.type);
    else if (info && INFO_EVENTS.has(event.type)) logger.info({ event: event.type, ...('phase' in event ? { phase: event.phase } : {}) }, event.type);
    args.onEvent?.(event);
  };

  // A run stopped at an approval records no owner: no process is waiting on it, anyone may answer.
  const manifest = (status: Manifest['status'], endedAt?: string): Manifest => redactor.value({
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    runId,
    workflow: plan.workflow,
    ...(plan.kind ? { kind: plan.kind } : {}),
    inputs: plan.inputs,
    status,
    model: defaultModel,
    startedAt,
    ...(endedAt ? { endedAt } : {}),
    ...(status === 'awaiting-approval' && endedAt ? {} : { owner: currentOwner() }),
    ...(base ? { base } : {}),
    files: folder.staging.files(),
    deletions: folder.staging.deletions(),
    notes: folder.staging.notes(),
    secretEnvVars,
    findings,
    ...(runUsage ? { usage: runUsage } : {}),
  } satisfies Manifest);
  if (resume) {
    // The done tasks' staged files and learnings, from the journal; what in-flight attempts wrote is removed.
    const { restoreStaging } = await import('./resume-staging.js');
    const restored = await restoreStaging(folder.staging, resume.fold);
    logger.info({ reused: resume.fold.completed.size, removed: restored.removed.length, changed: restored.changed, tornTail: resume.tornTail }, 'run resumed');
  }
  if (persist) folder.writeFirstManifest(manifest('running'));

  const desk = new ApprovalDesk({
    runId,
    runDir: folder.dir,
    recorded: resume?.fold.approvals ?? new Map(),
    ...(args.approval?.answer ? { answer: args.approval.answer } : {}),
    auto: args.approval?.auto === true || plan.approve === 'auto',
    ...(args.approval?.onApproval ? { onApproval: args.approval.onApproval } : {}),
    emit,
    at,
    // While a person is being asked, the manifest says so (with this process as its owner).
    waiting: (waiting) => folder.writeManifest(manifest(waiting ? 'awaiting-approval' : 'running')),
  });
  // Staged bytes against limits.stagedBytesPerRun, charged at each write by every running task.
  const stagedBytes = new StagedBytes([...folder.staging.files(), ...folder.staging.notes()]);
  const makeExecutor = () =>
    args.executor ??
    inProcessExecutor({
      model: (agent) => provider.resolve(agent.model),
      ...(args.limiter ? { acquire: (signal: AbortSignal) => args.limiter!.acquire(signal) } : {}),
      describeHits: (repoPath, content) => guard.describeHits(repoPath, content),
      admitLearning: (learning, task) => guard.check(learning, task),
      reserveStaged: (attempt, repoPath, bytes, cap) => stagedBytes.reserve(attempt, repoPath, bytes, cap),
      at,
    });
  // Made only for a run with agent tasks: their staging views and executor cost a run of code functions nothing.
  // Its module (staging views, prompts, the agent loop's dispatch) loads here, as git does above:
  // a workflow of code functions imports neither (test/api/lean-import.test.ts).
  const makeRunAgent = async () => (await import('./dispatch-task.js')).dispatchAgentTask({
    plan,
    agents: args.agents,
    executor: makeExecutor(),
    runId,
    workspace,
    ...(base ? { base } : {}),
    folder,
    guard,
    expertise: args.expertise,
    // Claude starts from what the offline model knows; the offline model reads it through its tools.
    ...(provider.provider !== 'offline' ? { briefing: await kind.briefing(workspace) } : {}),
    ...(provider.webResearch ? { research: { maxUses: RESEARCH_MAX_USES, allowedDomains: [...kind.researchDomains] } } : {}),
    model: { provider: provider.provider, ...(args.modelOverride ? { override: args.modelOverride } : {}) },
    visible: visibleTasks(plan.tasks),
    promptContext: () => desk.context(),
    emit,
    at,
    unsafeRunTests: args.unsafeRunTests ?? false,
    stagedBytes,
  });
  const runAgent = hasAgents ? await makeRunAgent() : undefined;
  const functions = args.functions ?? new Map<string, RegisteredFunction>();
  const resultSchemas = { ...RESULT_SCHEMAS, ...args.kind.resultSchemas };
  const runTask: TaskExecutor = (task, execution) =>
    task.kind === 'function' ? runFunctionTask(task, execution, functions, plan.inputs, resultSchemas) : runAgent!(task, execution);
  // A task's result and error leave here redacted: the outcomes, the report and the next tasks' inputs are clean.
  const cleanSuccess = (success: TaskSuccess): TaskSuccess => {
    success.result = redactor.value(success.result); // a fresh object each attempt
    return success;
  };
  const cleanError = (error: unknown): never => {
    if (error instanceof Error) error.message = redactor.text(error.message);
    // Anything else thrown becomes its text in the outcome: redacted here, like a message.
    else throw new Error(redactor.text(String(error)));
    throw error;
  };
  // No async frame: a function task that returns at once stays synchronous (see TaskExecutor).
  const taskExecutor: TaskExecutor = (task, execution) => {
    let made: TaskSuccess | Promise<TaskSuccess>;
    try {
      made = runTask(task, execution);
    } catch (error) {
      return cleanError(error);
    }
    return made instanceof Promise ? made.then(cleanSuccess, cleanError) : cleanSuccess(made);
  };

  try {
    emit({
      type: 'run-start',
      runId,
      at: resume ? at() : startedAt,
      // What a resume needs to load and check the run again (see src/run/resume.ts).
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      ...(args.source ? { source: args.source } : {}),
      ...(resume ? { resumed: true } : {}),
      ...(args.staleExpertise?.length ? { staleExpertise: args.staleExpertise } : {}),
      ...(args.warnings?.length ? { warnings: args.warnings } : {}),
      workflow: plan.workflow,
      inputs: plan.inputs,
      model: defaultModel,
      provider: provider.provider,
      banner: provider.banner,
      taskCount: plan.tasks.length,
    });
    const execution = await executePlan({
      plan,
      runId,
      executor: taskExecutor,
      emit,
      clock,
      concurrency: args.concurrency,
      ...(args.signal ? { signal: args.signal } : {}),
      ...(resume ? { completed: resume.fold.completed } : {}),
      approve: desk.ask,
    });
    // Stopped by Ctrl-C (or the caller's signal): resumable, so the learnings wait for the resume.
    // Stopped at an approval with nobody to answer: resumable too, with the answer.
    const interrupted = execution.status === 'cancelled' || execution.status === 'awaiting-approval';
    const status = execution.status === 'cancelled' ? 'interrupted' : execution.status;
    const usage = emptyUsage();
    for (const outcome of execution.outcomes) addUsage(usage, outcome.usage);

    // Learnings in task declaration order, so the merge is the same whatever finished first.
    const order = new Map(plan.tasks.map((t) => [t.id, t.index]));
    const learnings = fold.learnings.sort((a, b) => order.get(a.task)! - order.get(b.task)!);
    // Then what the people who answered the approvals wrote, with their names.
    if (!interrupted) learnings.push(...desk.learnings());
    // And what the kind observed in the repository before the run.
    if (!interrupted) learnings.push(...(args.observed ?? []));
    const declared = execution.outcomes.find((o) => o.task.result === 'research' && o.status === 'done')?.result as { envVars?: string[] } | undefined;
    guard.declare(declared?.envVars ?? []);
    learnings.splice(0, learnings.length, ...(await guard.filter(learnings)));
    secretEnvVars = declaredEnvVars(plan.inputs, [...kind.secretEnvVars, ...(declared?.envVars ?? [])]);
    redactor.add(secretValues(runtime.env, secretEnvVars));
    const stagedFiles = folder.staging.files();
    let merged = 0;
    const expertiseChanges: ExpertiseChangeRecord['domains'] = [];
    for (const domain of interrupted ? [] : plan.domains) {
      const catalog = execution.status === 'complete' ? kind.catalogEntry({ runId, outcomes: execution.outcomes, stagedFiles }) : undefined;
      const update = {
        runId,
        date: at().slice(0, 10),
        ...(service ? { service } : {}),
        ...(catalog ? { catalog } : {}),
        learnings,
      };
      // Exactly once per run, however often it is interrupted and resumed.
      const { mergeExpertiseOnce } = await import('./resume-merge.js');
      const { writeMergeSnapshot } = await import('../expertise/merge-snapshot.js');
      const summary = await mergeExpertiseOnce({ workspace, packageRoot: runtime.packageRoot, domain, update, recorded: resume?.fold.merges.get(domain), emit, at, snapshot: (before, after) => writeMergeSnapshot(folder.dir, domain, { before, after }) });
      merged += summary.learningsAdded + summary.learningsReinforced;
      expertiseChanges.push(domainChanges(workspace, domain, summary.file, at(), summary.changes));
      logger.info({ domain, catalog: summary.catalog, added: summary.learningsAdded, reinforced: summary.learningsReinforced, archived: summary.archived }, 'expertise merged');
    }
    // For `orchestrate expertise diff <run-id>`.
    if (expertiseChanges.length) await writeChangeRecord(folder.dir, { schemaVersion: 1, runId, domains: expertiseChanges });

    const endedAt = at();
    const section = kind.reportSection(execution.outcomes);
    const built = buildReport({
      plan,
      runId,
      model: defaultModel,
      startedAt,
      durationMs: clock.now() - started,
      usage,
      execution,
      stagedFiles: stagedFiles.map((f) => f.path),
      learnings: merged,
      unpricedModels: [...new Set(execution.outcomes.flatMap((o) => (o.model && o.model !== 'function' && !provider.priced(o.model) ? [o.model] : [])))],
      ...(args.staleExpertise ? { staleExpertise: args.staleExpertise } : {}),
      ...(section ? { integration: section } : {}),
      approvals: desk.report(),
      workers: fold.workers,
    });
    // The tasks' results and errors were redacted where their executor returned or threw them
    // (and their summaries come from those results). A run of code functions looks again only at a
    // failed task's entry; a run with agents redacts the whole report again, since a variable an
    // agent declared late was not yet known when the earlier results were redacted.
    const report = hasAgents
      ? redactor.value(built)
      : { ...redactor.value({ ...built, tasks: [] }), tasks: built.tasks.map((task) => (task.error ? redactor.value(task) : task)) };
    const deletions = folder.staging.deletions();
    if (hasAgents) {
      const subject = kind.commitSubject({ workflow: plan.workflow, runId, files: stagedFiles, deletions });
      await folder.writeCommitMessage(redactor.text(commitMessage(subject, plan.workflow, runId, stagedFiles, deletions, plan.phases.map((phase) => phase.id))));
    }
    runUsage = usage;
    findings = guard.findings();
    // An ephemeral run stages nothing (it is refused otherwise): no manifest to make or scan.
    if (persist) findings = await scanStagedRun(folder.dir, manifest(status, endedAt), runtime.env);
    for (const finding of findings) logger.warn({ finding: formatFinding(finding) }, 'secret found');
    // The journal says the run ended before the manifest does: one flush of the journal (its
    // fdatasync off the event loop) beside the last manifest's fsync, then the manifest's rename.
    emit({ type: 'run-end', runId, at: endedAt, status: execution.status, durationMs: clock.now() - started, usage, ...(report.error ? { error: report.error } : {}) });
    if (persist) {
      // The disk's work is asked for first, then report.yaml is serialised while it goes on.
      const manifestWritten = folder.writeManifest(manifest(status, endedAt), { final: true });
      manifestWritten.catch(() => undefined);
      await Promise.all([manifestWritten, folder.writeReport(report)]);
    }
    let reportText: string | undefined;
    const reportFindings = findings;
    return {
      runId,
      status: execution.status,
      runDir: folder.dir,
      stagedFiles,
      notes: folder.staging.notes(),
      report,
      // Rendered when first read: a caller of code functions rarely prints it.
      get reportText() {
        return (reportText ??= renderReport(report, folder.dir) + secretsSection(reportFindings));
      },
      usage,
      banner: provider.banner,
      results: resultsOf(execution.outcomes),
    };
  } catch (error) {
    logger.error({ error: errorInfo(error) }, 'run failed');
    await folder.writeManifest(manifest('failed', at())).catch(() => undefined);
    throw error;
  } finally {
    await folder.close();
    if (fileLogger) closeFileLogger(fileLogger);
  }
}

/** What a run logs through: a pino logger, or nothing for an ephemeral run. */
type RunLog = Pick<Logger, 'info' | 'warn' | 'error' | 'debug' | 'isLevelEnabled'>;

const NO_LOG: RunLog = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, isLevelEnabled: () => false };

/** The secret scan's findings under the report: apply is blocked until they are gone. */
function secretsSection(findings: readonly SecretFinding[]): string {
  if (!findings.length) return '';
  const blocking = blockingFindings(findings).length;
  const lines = findings.map((f) => `  ${formatFinding(f)}${f.source === 'learning' ? ' (learning dropped, not merged)' : ''}`);
  const verdict = blocking ? `orchestrate apply is blocked until the ${blocking} secret(s) in staged files are removed.` : 'Learnings with secrets were dropped.';
  return `\n\nSecret scan: ${findings.length} finding(s). ${verdict}\n${lines.join('\n')}`;
}
