import { TaskError } from '../errors.js';
import type { ErrorInfo, RunEvent, RunStatus, TaskStatus } from '../schema/events.js';
import { emptyUsage, type Usage } from '../schema/usage.js';
import { BudgetExceededError, BudgetLedger } from './budget.js';
import type { CompletedTask, ExecutePlanOptions, ExecutionResult, TaskExecution, TaskOutcome, TaskSuccess } from './execution.js';
import { type ApprovalHost, RunApprovals } from './approvals.js';
import { Attempt, type AttemptHost, describe } from './attempt.js';
import { checkGate, GateFailedError } from './gate.js';
import type { PlannedTask } from './plan.js';
import { DEFAULT_RETRY, retryDelayMs, shouldRetry } from './retry-policy.js';
import { type PhaseHost, RUN_ENDED, RunPhase, type Stop } from './run-phase.js';
import { buildTaskGraph } from './task-graph.js';
import { TaskEndEvent, TaskOutcomeRecord, TaskStartEvent } from './task-records.js';
import { Timestamps } from './timestamps.js';

export type { CompletedTask, ExecutePlanOptions, ExecutionResult, TaskExecution, TaskExecutor, TaskOutcome, TaskSuccess } from './execution.js';

// Task states. Plain numbers in typed arrays: the hot path of a 10,000-task fan-out stays
// allocation-light (see bench/run.mjs for the overhead measured against a floor scheduler).
const PENDING = 0;
const QUEUED = 1;
const RUNNING = 2;
const BACKOFF = 3;
const FINISHED = 4;

/** Event timestamps; one cache for every run in the process (runs are often back to back). */
const TIMESTAMPS = new Timestamps();

/** The usage of a task that used nothing: one frozen object shared, not one per task. */
const NO_USAGE: Usage = Object.freeze(emptyUsage());

/**
 * Starts each task the moment its needs (and its phase's gate) are met, bounded by
 * `concurrency`, with retries, timeouts, budgets, gates, cancellation and the failure policy.
 * Outcomes come back in declaration order. Pure: time comes from the injected clock.
 *
 * The ready queue is a plain array with a head index rather than p-queue: p-queue costs about
 * 3 us per task on its own (the reference figures), more than this whole scheduler.
 */
export function executePlan(options: ExecutePlanOptions): Promise<ExecutionResult> {
  return new RunScheduler(options).run();
}

class RunScheduler implements AttemptHost, PhaseHost, ApprovalHost {
  private readonly tasks: PlannedTask[];
  private readonly n: number;
  private readonly state: Uint8Array;
  private readonly waiting: Int32Array;
  private readonly tokens: Uint32Array;
  private readonly attempts: Uint16Array;
  private readonly charged: Uint8Array;
  private readonly everCharged: Uint8Array;
  private readonly startedAt: Float64Array;
  private readonly phaseOf: Int32Array;
  /** Dependents of task i: `dependentList[dependentStart[i] .. dependentStart[i + 1])`, one flat array. */
  private readonly dependentStart: Int32Array;
  private readonly dependentList: Int32Array;
  private readonly outcomes: TaskOutcome[];
  private readonly phases: RunPhase[];
  private readonly timeouts: (AbortController | undefined)[];
  private readonly ledger: BudgetLedger;
  private readonly indexOf: Map<string, number>;
  /** Ends the run's own timers and listeners; made on first use (most runs have none). */
  private cleanupController: AbortController | undefined;
  private completed = false;
  private readonly concurrency: number;
  private readonly hasBudgets: boolean;
  private readonly random: () => number;
  private queue: number[] = [];
  private head = 0;
  private active = 0;
  private finished = 0;
  private runStop: Stop | undefined;
  private runError: ErrorInfo | undefined;
  /** How the run ends when an approval stopped it (`rejected`, `awaiting-approval`). */
  private endStatus: RunStatus | undefined;
  /** Only for plans with an approval. */
  private readonly approvals: RunApprovals | undefined;
  /** Tasks restored from a resumed run's journal; their `task-end` says `reused`. */
  private restored: Set<number> | undefined;
  private resolve!: (result: ExecutionResult) => void;

  constructor(private readonly options: ExecutePlanOptions) {
    const { plan } = options;
    this.tasks = plan.tasks;
    const n = (this.n = plan.tasks.length);
    this.state = new Uint8Array(n);
    this.tokens = new Uint32Array(n);
    this.attempts = new Uint16Array(n);
    this.charged = new Uint8Array(n);
    this.everCharged = new Uint8Array(n);
    this.startedAt = new Float64Array(n);
    this.outcomes = new Array(n);
    this.timeouts = new Array(n);
    this.concurrency = options.concurrency ?? 4;
    this.random = options.random ?? Math.random;
    this.ledger = new BudgetLedger(plan.workflow, plan.budget);

    const graph = buildTaskGraph(plan);
    this.indexOf = graph.indexOf;
    this.phaseOf = graph.phaseOf;
    this.waiting = graph.waiting;
    this.dependentStart = graph.dependentStart;
    this.dependentList = graph.dependentList;
    this.phases = plan.phases.map((phase, index) => {
      this.ledger.addPhase(phase.id, phase.budget);
      return new RunPhase(phase, index, this);
    });
    this.hasBudgets = plan.budget !== undefined || plan.phases.some((phase) => phase.budget !== undefined);
    if (plan.phases.some((phase) => phase.approval)) this.approvals = new RunApprovals(plan.phases, options.approve, this);
  }

  run(): Promise<ExecutionResult> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      if (this.n === 0) return this.complete();
      const { signal, plan, clock } = this.options;
      if (this.options.completed?.size) this.restore(this.options.completed);
      if (signal) {
        const onAbort = () => this.stop(-1, { error: { code: 'CANCELLED', message: 'the run was cancelled' }, active: 'cancelled', idle: 'cancelled', cancelled: true });
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        this.cleanup.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
      }
      if (plan.timeoutMs !== undefined) {
        const ms = plan.timeoutMs;
        clock.sleep(ms, this.cleanup).then(
          () => this.stop(-1, this.failing({ code: 'RUN_TIMEOUT', message: `the run timed out after ${ms} ms` })),
          () => undefined,
        );
      }
      for (let i = 0; i < this.n; i++) if (this.waiting[i] === 0 && this.state[i] === PENDING) this.ready(i);
      if (this.finished === this.n) return this.complete();
      this.pump();
    });
  }

  /** A resumed run: tasks done before are finished with their recorded outcome, then released. */
  private restore(completed: ReadonlyMap<string, CompletedTask>): void {
    const restored = (this.restored = new Set<number>());
    const now = this.options.clock.now();
    for (let i = 0; i < this.n; i++) {
      const done = completed.get(this.tasks[i]!.id);
      if (!done) continue;
      restored.add(i);
      this.attempts[i] = done.attempts;
      this.startedAt[i] = now - done.durationMs;
      this.chargeLedger(i, done.usage);
      this.record(i, 'done', done.result, undefined, done.model);
    }
    // Released only once every restored task is finished, so none of them is queued to run.
    for (const i of restored) this.release(i);
  }

  /** @internal The event timestamp, from the injected clock. */
  at(ms = this.options.clock.now()): string {
    return TIMESTAMPS.format(ms);
  }

  /** @internal For a phase: emits one of its events. */
  emit(event: RunEvent): void {
    this.options.emit(event);
  }

  /** @internal For a phase's end event: what the phase used. */
  phaseUsage(phase: string): Usage {
    return this.ledger.phaseUsage(phase);
  }

  private failing(error: ErrorInfo): Stop {
    return { error, active: 'failed', idle: 'skipped', cancelled: false };
  }

  /** @internal For approvals: whether the run has ended. */
  get ended(): boolean {
    return this.completed;
  }

  /** @internal For approvals: aborted when the run ends. */
  get endSignal(): AbortSignal {
    return this.cleanup;
  }

  /** @internal For approvals: a rejection or a wait stops the run and says how it ends. */
  stopRun(stop: Stop, status: RunStatus): void {
    this.endStatus ??= status;
    this.stop(-1, stop);
  }

  /** A task whose dependencies are all done: checks stops, approvals and the gate, then queues it. */
  ready(i: number): void {
    const phase = this.phases[this.phaseOf[i]!]!;
    const stop = this.runStop ?? phase.stop;
    if (stop) return this.finish(i, stop.idle, undefined, stop.error);
    if (this.approvals?.holds(i, phase.index)) return;
    const gate = phase.plan.gate;
    if (gate && !phase.gate) {
      phase.gate = checkGate(gate, phase.plan.id, (id) => this.outcomes[this.indexOf.get(id)!]?.result);
      phase.begin();
      if (!phase.gate.holds) {
        const failure = new GateFailedError(phase.gate);
        this.stop(phase.index, this.failing({ code: failure.code, message: failure.message, gate: phase.gate }));
        return;
      }
    }
    this.state[i] = QUEUED;
    this.queue.push(i);
  }

  /** Starts queued tasks while there is room. `now`: the clock reading of the end that made room. */
  pump(now?: number): void {
    while (this.active < this.concurrency && this.head < this.queue.length) {
      const i = this.queue[this.head++]!;
      if (this.state[i] !== QUEUED) continue;
      const phase = this.tasks[i]!.phase;
      const breach = this.hasBudgets ? this.ledger.exhausted(phase) : undefined;
      if (breach) {
        const error = new BudgetExceededError(breach);
        this.stop(breach.scope === 'run' ? -1 : this.phaseOf[i]!, this.failing({ code: error.code, message: error.message, budget: breach }));
        continue;
      }
      this.start(i, now);
      now = undefined; // that executor may have worked synchronously: read the clock again
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private start(i: number, now = this.options.clock.now()): void {
    const task = this.tasks[i]!;
    const phase = this.phases[this.phaseOf[i]!]!;
    const { runId, emit } = this.options;
    phase.begin();
    const attempt = ++this.attempts[i]!;
    if (attempt === 1) this.startedAt[i] = now;
    const token = ++this.tokens[i]!;
    this.state[i] = RUNNING;
    this.charged[i] = 0;
    this.active++;
    emit(new TaskStartEvent(runId, this.at(now), task, attempt));

    const timer = task.timeoutMs === undefined ? undefined : this.armTimeout(i, task, token, attempt, task.timeoutMs);
    this.attempt(task, i, token, new Attempt(this, i, token, attempt, timer));
  }

  private get cleanup(): AbortSignal {
    return (this.cleanupController ??= new AbortController()).signal;
  }

  /** @internal The signal of task `i`'s phase, made when an attempt first reads it. */
  phaseSignal(i: number): AbortSignal {
    return this.phases[this.phaseOf[i]!]!.signal(this.completed);
  }

  /** The attempt's timeout: its controller aborts the attempt's signal when the time is up. */
  private armTimeout(i: number, task: PlannedTask, token: number, attempt: number, ms: number): AbortController {
    const timer = new AbortController();
    this.timeouts[i] = timer;
    this.options.clock.sleep(ms, timer.signal).then(() => {
      if (this.tokens[i] !== token) return;
      const error = new TaskError('TASK_TIMEOUT', `task "${task.id}" timed out after ${ms} ms (attempt ${attempt})`);
      timer.abort(error);
      this.failed(i, token, error);
    }, () => undefined);
    return timer;
  }

  /** @internal The run's id, for attempts. */
  get runId(): string {
    return this.options.runId;
  }

  /** @internal The results of the tasks task `i` needs, by id (all done when it starts). */
  needsOf(i: number): Record<string, unknown> {
    const needs: Record<string, unknown> = {};
    for (const need of this.tasks[i]!.needs) needs[need] = this.outcomes[this.indexOf.get(need)!]?.result;
    return needs;
  }

  /**
   * One attempt. Two arrow callbacks sharing one context cost less memory than an async frame
   * awaiting the executor (851 against 1,165 bytes per task at a fan-out of 10,000).
   */
  private attempt(task: PlannedTask, i: number, token: number, execution: TaskExecution): void {
    let promise: Promise<TaskSuccess>;
    try {
      // Promise.resolve returns a native promise as it is, and adopts anything else an
      // executor given to executePlan may return.
      promise = Promise.resolve(this.options.executor(task, execution));
    } catch (error) {
      this.failed(i, token, error);
      return;
    }
    promise.then(
      (success) => this.succeeded(i, token, success),
      (error: unknown) => this.failed(i, token, error),
    );
  }

  /** @internal Live usage from an attempt (see {@link Attempt.onUsage}). */
  chargeAttempt(i: number, token: number, usage: Usage): void {
    this.charge(i, token, usage);
  }

  /** Live usage from an attempt; a crossed budget stops its scope and throws into the attempt. */
  private charge(i: number, token: number, usage: Usage): void {
    if (this.tokens[i] !== token) throw new TaskError('CANCELLED', 'this attempt has already ended');
    this.charged[i] = 1;
    const breach = this.chargeLedger(i, usage);
    if (!breach) return;
    const error = new BudgetExceededError(breach);
    if (breach.scope !== 'task') {
      this.stop(breach.scope === 'run' ? -1 : this.phaseOf[i]!, this.failing({ code: error.code, message: error.message, budget: breach }));
      this.pump();
    }
    throw error;
  }

  private chargeLedger(i: number, usage: Usage) {
    const task = this.tasks[i]!;
    this.everCharged[i] = 1;
    return this.ledger.charge(task.id, task.budget, task.phase, usage);
  }

  private endAttempt(i: number): void {
    this.tokens[i]!++;
    this.active--;
    const timer = this.timeouts[i];
    if (timer) {
      this.timeouts[i] = undefined;
      if (!timer.signal.aborted) timer.abort();
    }
  }

  private succeeded(i: number, token: number, success: TaskSuccess): void {
    if (this.tokens[i] !== token) return;
    this.endAttempt(i);
    const breach = !this.charged[i] && success.usage ? this.chargeLedger(i, success.usage) : undefined;
    // One clock reading for this end and the start it makes room for (the clock is a tenth of
    // the time from one task's end to the next one's start).
    const now = this.options.clock.now();
    this.finish(i, 'done', success.result, undefined, success.model, now);
    if (breach && breach.scope !== 'task') {
      const error = new BudgetExceededError(breach);
      this.stop(breach.scope === 'run' ? -1 : this.phaseOf[i]!, this.failing({ code: error.code, message: error.message, budget: breach }));
    }
    this.pump(now);
  }

  private failed(i: number, token: number, error: unknown): void {
    if (this.tokens[i] !== token) return;
    this.endAttempt(i);
    const task = this.tasks[i]!;
    const reported = (error as { usage?: Usage } | null)?.usage;
    if (!this.charged[i] && reported) this.chargeLedger(i, reported);
    const info = describe(error);
    const attempt = this.attempts[i]!;
    const policy = task.retry ?? DEFAULT_RETRY;
    if (shouldRetry(policy, attempt, info.code)) {
      const delayMs = retryDelayMs(policy, attempt, this.random);
      this.state[i] = BACKOFF;
      const wait = ++this.tokens[i]!;
      this.options.emit({ type: 'task-retry', runId: this.options.runId, at: this.at(), phase: task.phase, task: task.id, attempt: attempt + 1, delayMs, error: info });
      this.options.clock.sleep(delayMs, this.cleanup).then(() => {
        if (this.tokens[i] !== wait) return;
        this.state[i] = QUEUED;
        this.queue.push(i);
        this.pump();
      }, () => undefined);
    } else {
      this.finish(i, 'failed', undefined, info, (error as { model?: string } | null)?.model);
      this.failedScope({ code: info.code, message: `task "${task.id}" failed: ${info.message}` });
    }
    this.pump();
  }

  /** A task, gate or phase budget failed: the failure policy decides whether the run goes on. */
  private failedScope(error: ErrorInfo): void {
    if (this.options.plan.failurePolicy !== 'fail-fast') return;
    this.runError ??= error;
    const message = `stopped because ${error.message.replace(/^task /, '')} (failure policy fail-fast)`;
    this.stop(-1, { error: { code: 'CANCELLED', message }, active: 'cancelled', idle: 'skipped', cancelled: false });
  }

  /** Stops the run (`scope` -1) or one phase: running tasks end at once, nothing new starts. */
  private stop(scope: number, stop: Stop): void {
    if (this.runStop || (scope >= 0 && this.phases[scope]!.stop)) return;
    if (scope < 0) {
      this.runStop = stop;
      this.runError ??= stop.error;
      for (const phase of this.phases) phase.abort(new TaskError(stop.error.code, stop.error.message));
    } else {
      const phase = this.phases[scope]!;
      phase.stop = stop;
      this.runError ??= stop.error;
      phase.abort(new TaskError(stop.error.code, stop.error.message));
    }
    for (let i = 0; i < this.n; i++) {
      const state = this.state[i]!;
      if (state === FINISHED || (scope >= 0 && this.phaseOf[i] !== scope)) continue;
      if (state === RUNNING) this.endAttempt(i);
      else if (state === BACKOFF) this.tokens[i]!++;
      this.finish(i, state === RUNNING || state === BACKOFF ? stop.active : stop.idle, undefined, stop.error);
    }
    if (scope >= 0) this.failedScope(stop.error);
  }

  /** A task is done: its dependents whose every dependency is now done become ready. */
  private release(i: number): void {
    const list = this.dependentList;
    for (let k = this.dependentStart[i]!, end = this.dependentStart[i + 1]!; k < end; k++) {
      const d = list[k]!;
      if (--this.waiting[d]! === 0 && this.state[d] === PENDING) this.ready(d);
    }
  }

  /** Records a task's outcome, emits its end, and releases or skips its dependents. */
  private finish(first: number, firstStatus: TaskStatus, result?: unknown, firstError?: ErrorInfo, model?: string, now?: number): void {
    if (firstStatus === 'done') {
      this.record(first, 'done', result, undefined, model, now);
      this.release(first);
      if (this.finished === this.n) this.complete();
      return;
    }
    const work: [number, TaskStatus, ErrorInfo | undefined][] = [[first, firstStatus, firstError]];
    while (work.length > 0) {
      const [i, status, error] = work.pop()!;
      if (this.state[i] === FINISHED) continue;
      this.record(i, status, i === first ? result : undefined, error, i === first ? model : undefined);
      if (status === 'done') {
        this.release(i);
        continue;
      }
      const id = this.tasks[i]!.id;
      for (let k = this.dependentStart[i]!; k < this.dependentStart[i + 1]!; k++) {
        const d = this.dependentList[k]!;
        if (this.state[d] === FINISHED) continue;
        const stop = this.runStop;
        work.push(stop ? [d, stop.idle, stop.error] : [d, 'skipped', { code: 'SKIPPED', message: `skipped because "${id}" ${status}` }]);
      }
    }
    if (this.finished === this.n) this.complete();
  }

  private record(i: number, status: TaskStatus, result: unknown, error: ErrorInfo | undefined, model: string | undefined, now = this.options.clock.now()): void {
    const task = this.tasks[i]!;
    const { runId, emit } = this.options;
    this.state[i] = FINISHED;
    this.finished++;
    const attempts = this.attempts[i]!;
    const usage = this.everCharged[i] ? { ...this.ledger.taskUsage(task.id) } : NO_USAGE;
    const durationMs = attempts > 0 ? now - this.startedAt[i]! : 0;
    const modelId = model ?? (attempts > 0 ? 'unknown' : 'none');
    const outcome = new TaskOutcomeRecord(task, status, usage, modelId, durationMs, attempts, result, error);
    const event = new TaskEndEvent(runId, this.at(now), outcome, this.restored?.has(i) === true);
    this.outcomes[i] = outcome;
    const phase = this.phases[this.phaseOf[i]!]!;
    phase.begin();
    emit(event);
    if (phase.taskEnded(status) && this.approvals) this.approvals.phaseEnded(phase.index, phase.allDone);
  }

  private complete(): void {
    if (this.completed) return;
    this.completed = true;
    // Only what was made is aborted (an abort costs tens of microseconds to dispatch): the
    // cleanup controller exists only if a timer or listener asked for it, a phase's only if an
    // attempt read its signal.
    if (this.cleanupController && !this.cleanupController.signal.aborted) this.cleanupController.abort(RUN_ENDED);
    for (const phase of this.phases) phase.runEnded();
    const outcomes = this.outcomes;
    let status: RunStatus = 'complete';
    if (this.endStatus) status = this.endStatus;
    else if (this.runStop?.cancelled) status = 'cancelled';
    else if (this.runError || outcomes.some((o) => o.status !== 'done')) status = 'failed';
    this.resolve({ status, outcomes, ...(this.runError ? { error: this.runError } : {}), usage: { ...this.ledger.run.used } });
  }
}
