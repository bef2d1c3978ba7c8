import type { ErrorInfo, GateCheck, RunEvent, TaskStatus } from '../schema/events.js';
import type { Usage } from '../schema/usage.js';
import type { PlannedPhase } from './plan.js';

/** How a stop ends the tasks of its scope: those that were running and those not yet started. */
export interface Stop {
  error: ErrorInfo;
  active: TaskStatus;
  idle: TaskStatus;
  cancelled: boolean;
}

/** What a phase asks of the run it belongs to. */
export interface PhaseHost {
  readonly runId: string;
  emit(event: RunEvent): void;
  /** The event timestamp, now. */
  at(): string;
  phaseUsage(phase: string): Usage;
}

/** The reason signals get when the run ends (an Error's stack trace would cost per run). */
export const RUN_ENDED = Object.freeze({ code: 'CANCELLED', message: 'the run has ended' });

const STATUS_RANK: Record<TaskStatus, number> = { done: 0, skipped: 1, cancelled: 2, failed: 3 };
const RANKED: TaskStatus[] = ['done', 'skipped', 'cancelled', 'failed'];

/**
 * One phase of a run: its start and end events, its stop, its gate's check and the signal its
 * tasks' attempts see. The scheduler decides when; this keeps what a phase is.
 */
export class RunPhase {
  /** Made when an attempt first reads the signal, or when the phase is stopped. */
  private controller: AbortController | undefined = undefined;
  private left: number;
  private started = false;
  /** The rank of the worst task status so far. */
  private worst = 0;
  stop: Stop | undefined = undefined;
  gate: GateCheck | undefined = undefined;

  constructor(
    readonly plan: PlannedPhase,
    readonly index: number,
    private readonly host: PhaseHost,
  ) {
    this.left = plan.taskIds.length;
  }

  /** Emits `phase-start` the first time a task of the phase starts, ends or its gate is checked. */
  begin(): void {
    if (this.started) return;
    this.started = true;
    const { plan, gate, host } = this;
    host.emit({ type: 'phase-start', runId: host.runId, at: host.at(), phase: plan.id, name: plan.name, ...(gate ? { gate } : {}) });
  }

  /** True when every task of the phase that has ended is done. */
  get allDone(): boolean {
    return this.worst === 0 && !this.stop;
  }

  /** A task of the phase has ended with `status`; the last one ends the phase (and returns true). */
  taskEnded(status: TaskStatus): boolean {
    this.worst = Math.max(this.worst, STATUS_RANK[status]);
    if (--this.left !== 0) return false;
    const { plan, stop, host } = this;
    host.emit({
      type: 'phase-end',
      runId: host.runId,
      at: host.at(),
      phase: plan.id,
      status: stop ? (stop.cancelled ? 'cancelled' : 'failed') : RANKED[this.worst]!,
      usage: { ...host.phaseUsage(plan.id) },
      ...(stop ? { error: stop.error } : {}),
    });
    return true;
  }

  /** The signal the phase's attempts see; aborted at once when made after the run ended. */
  signal(runEnded: boolean): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (runEnded) this.controller.abort(RUN_ENDED);
    }
    return this.controller.signal;
  }

  /** Aborts the phase's signal with `reason`, unless it already is. */
  abort(reason: unknown): void {
    const controller = (this.controller ??= new AbortController());
    if (!controller.signal.aborted) controller.abort(reason);
  }

  /**
   * The run has ended: a signal that was made is aborted. A phase whose tasks never read it made
   * none, and dispatching an abort costs tens of microseconds.
   */
  runEnded(): void {
    if (this.controller && !this.controller.signal.aborted) this.controller.abort(RUN_ENDED);
  }
}
