import path from 'node:path';
import { UserError } from '../errors.js';
import type { PreparedRun, ProviderName, RunResult, RunWorkflowOptions } from '../index.js';
import type { ApprovalReply } from '../index.js';
import { parseAmount, parseCount, parseLogLevel, parsePrice } from './args.js';
import type { CliIO } from './io.js';
import type { TreeOutline } from './live-tree.js';
import { createReporter, outputMode, type Reporter } from './reporter.js';
import { closest } from './suggest.js';
import { colorEnabled, createStyle } from './style.js';

/** The flags of every command that runs a workflow (see RUN_OPTIONS in args.ts). */
export interface RunFlags {
  json?: boolean | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  'no-color'?: boolean | undefined;
  cwd?: string | undefined;
  model?: string | undefined;
  provider?: string | undefined;
  concurrency?: string | undefined;
  'budget-usd'?: string | undefined;
  price?: string | undefined;
  'dry-run'?: boolean | undefined;
  'log-level'?: string | undefined;
  record?: string | undefined;
  replay?: string | undefined;
  'unsafe-run-tests'?: boolean | undefined;
  redis?: string | undefined;
  queue?: string | undefined;
  'git-url'?: string | undefined;
  yes?: boolean | undefined;
}

/** runWorkflow options as the CLI builds them: the workflow is always a name or a path. */
export type CliRunOptions = RunWorkflowOptions & { workflow: string };

export interface WorkflowInvocation {
  workflow: string;
  inputs: Record<string, unknown>;
  flags: RunFlags;
  /** The interrupted run to resume (`orchestrate resume`); its workflow and inputs are its own. */
  resume?: string;
  /** The answer to the approval the resumed run waits for (`orchestrate approve` / `reject`). */
  approval?: ApprovalReply;
}


/** The workspace: `--cwd` resolved against where the CLI was started. */
export function workspaceOf(io: CliIO, cwd: string | undefined): string {
  return cwd ? path.resolve(io.cwd, cwd) : io.cwd;
}

/** Turns the flags into runWorkflow options; every bad value is a one-line user error. */
export function runOptions(invocation: WorkflowInvocation, io: CliIO, PROVIDERS: readonly ProviderName[]): CliRunOptions {
  const { flags } = invocation;
  const provider = flags.provider;
  if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider)) {
    const close = closest(provider, PROVIDERS);
    throw new UserError('BAD_ARGUMENTS', `unknown provider "${provider}"${close ? `; did you mean ${close}?` : ''}; use ${PROVIDERS.join(' or ')}`);
  }
  const concurrency = parseCount(flags.concurrency, '--concurrency');
  const budgetUsd = parseAmount(flags['budget-usd'], '--budget-usd');
  const price = parsePrice(flags.price);
  const logLevel = parseLogLevel(flags['log-level'], io.env);
  if (flags.record !== undefined && flags.replay !== undefined) throw new UserError('BAD_ARGUMENTS', '--record and --replay cannot be used together; record once, then replay');
  return {
    workflow: invocation.workflow,
    inputs: invocation.inputs,
    cwd: workspaceOf(io, flags.cwd),
    runtime: { env: { ...io.env, ORCHESTRATE_LOG_LEVEL: logLevel } },
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(budgetUsd !== undefined ? { budget: { costUsd: budgetUsd } } : {}),
    ...(price ? { price } : {}),
    ...(provider ? { provider: provider as ProviderName } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.record !== undefined ? { record: path.resolve(io.cwd, flags.record) } : {}),
    ...(flags.replay !== undefined ? { replay: path.resolve(io.cwd, flags.replay) } : {}),
    ...(flags['unsafe-run-tests'] ? { unsafeRunTests: true } : {}),
    ...(flags.yes ? { approve: 'auto' as const } : {}),
  };
}

/** Runs a workflow with live progress and the report; returns the exit code (0, 1 or 130). */
export async function invokeWorkflow(invocation: WorkflowInvocation, io: CliIO): Promise<number> {
  // The public API, loaded only once a command runs (so `<command> --help` stays quick).
  const api = await import('../index.js');
  const options = runOptions(invocation, io, api.PROVIDER_NAMES);
  if (invocation.flags['dry-run']) {
    const { printDryRun } = await import('./dry-run.js');
    return printDryRun(options, invocation.flags, io);
  }
  const { runWorkflow } = api;
  const mode = outputMode(invocation.flags, io);
  // On a queue: checked before anything is written (a bad URL or an unreachable Redis is one line, exit 2).
  const redis = invocation.flags.redis ?? io.env.ORCHESTRATE_REDIS_URL;
  const executor = redis
    ? await (await import('../executors/queue/index.js')).queueExecutor({
        redis,
        ...(invocation.flags.queue ? { queue: invocation.flags.queue } : {}),
        ...((invocation.flags['git-url'] ?? io.env.ORCHESTRATE_GIT_URL) ? { gitUrl: invocation.flags['git-url'] ?? io.env.ORCHESTRATE_GIT_URL } : {}),
        onWaiting: (message) => io.err(`orchestrate: ${message}`),
      })
    : undefined;
  const style = createStyle(mode === 'tree' && colorEnabled(io, invocation.flags['no-color']));
  // Made once the run is prepared, so the tree shows every task still to come.
  let reporter: Reporter | undefined;
  const onPrepared = (prepared: PreparedRun) => {
    if (mode !== 'quiet') for (const warning of prepared.warnings) io.err(`warning: ${warning}`);
    reporter = createReporter(mode, io, style, { verbose: invocation.flags.verbose, outline: outlineOf(prepared) });
  };

  const controller = new AbortController();
  let interrupts = 0;
  let runId = invocation.resume;
  const resumeHint = () => (runId ? ` Resume it with: orchestrate resume ${runId}` : '');
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) {
      reporter?.close();
      // The journal is written event by event, so stopping here loses nothing a resume needs.
      io.err(`orchestrate: interrupted twice; stopping now. Staged files already written are kept.${resumeHint()}`);
      process.exit(130);
    }
    io.err('orchestrate: interrupting: no new task starts, running ones are cancelled (Ctrl-C again to stop at once)');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  let result: RunResult;
  try {
    const onEvent: RunWorkflowOptions['onEvent'] = (event) => {
      if (event.type === 'run-start') runId = event.runId;
      reporter?.event(event);
    };
    const { inputs: _inputs, ...rest } = options;
    // A person at the terminal answers approvals there; anywhere else the run stops awaiting approval.
    const onApproval =
      io.stdinIsTTY && io.isTTY && mode !== 'json' && !invocation.flags.yes
        ? (await import('./approval-prompt.js')).terminalApproval(io, { pause: () => reporter?.pause?.(), resume: () => reporter?.resume?.() })
        : undefined;
    const common = { signal: controller.signal, onEvent, onPrepared, ...(onApproval ? { onApproval } : {}), ...(executor ? { executor } : {}) };
    result = await runWorkflow(
      invocation.resume
        ? { ...rest, ...common, resume: invocation.resume, ...(invocation.approval ? { approval: invocation.approval } : {}) }
        : { ...options, ...common },
    );
  } catch (error) {
    if (controller.signal.aborted) {
      io.err(`orchestrate: interrupted.${resumeHint()}`);
      return 130;
    }
    throw error;
  } finally {
    reporter?.close();
    process.removeListener('SIGINT', onSigint);
    await executor?.close();
  }
  printResult(result, mode, io);
  if (result.status === 'cancelled') io.err(`orchestrate: interrupted; the run is kept and marked interrupted. Resume it with: orchestrate resume ${result.runId}`);
  if (result.status === 'awaiting-approval') {
    io.err(`orchestrate: run ${result.runId} is waiting for approval (${result.report.error?.message ?? 'an approval'}); answer it with: orchestrate approve ${result.runId} [--message <note>], or orchestrate reject ${result.runId} --message <why>`);
  }
  return exitCodeOf(result.status, invocation.approval?.decision === 'rejected');
}

/** Exit when the run stopped to wait for an approval: not done, not failed; answer it and it goes on. */
export const EXIT_AWAITING_APPROVAL = 3;
/** Exit when a person rejected the run at an approval during it: it ended, by choice, with nothing to apply. */
export const EXIT_REJECTED = 4;

/**
 * A script must tell apart done (0), failed (1), waiting for an approval (3) and rejected (4).
 * `orchestrate reject` itself exits 0: the rejection it was asked to record was recorded.
 */
function exitCodeOf(status: RunResult['status'], rejectAsked: boolean): number {
  if (status === 'complete') return 0;
  if (status === 'awaiting-approval') return EXIT_AWAITING_APPROVAL;
  if (status === 'rejected') return rejectAsked ? 0 : EXIT_REJECTED;
  return status === 'cancelled' ? 130 : 1;
}

function printResult(result: RunResult, mode: ReturnType<typeof outputMode>, io: CliIO): void {
  const relativeDir = path.relative(io.cwd, result.runDir) || result.runDir;
  if (mode === 'json') {
    const { reportText: _text, ...rest } = result;
    io.out(JSON.stringify({ type: 'result', ...rest }));
  } else if (mode === 'quiet') {
    io.out(`${result.status} ${result.runId} ${relativeDir}`);
  } else {
    io.out('');
    io.out(result.reportText);
    if (result.status === 'complete') io.out(`Review: orchestrate show ${result.runId}    Apply: orchestrate apply ${result.runId}`);
  }
}

/** Phases and tasks of the prepared run, so the tree shows what is still to come. */
function outlineOf(prepared: PreparedRun): TreeOutline {
  return {
    phases: prepared.workflow.phases.map((p) => ({ id: p.id, name: p.name, tasks: p.tasks.map((t) => ({ id: t.id, agent: t.agent ?? `function ${t.function ?? ''}`.trim() })) })),
  };
}
