import type { ErrorInfo, RunStatus } from '../schema/events.js';
import type { ApprovalAnswer, ApprovalRequest } from './execution.js';
import type { PlannedPhase } from './plan.js';
import type { Stop } from './run-phase.js';

/** What the run's approvals ask of the scheduler. */
export interface ApprovalHost {
  /** Whether the run has ended (an answer that comes after it is ignored). */
  readonly ended: boolean;
  /** Aborted when the run ends. */
  readonly endSignal: AbortSignal;
  /** Queues a task whose needs are met (it may be held again by a later approval). */
  ready(i: number): void;
  pump(): void;
  /** Stops the whole run; `status` is how it ends. */
  stopRun(stop: Stop, status: RunStatus): void;
}

const NONE = Number.POSITIVE_INFINITY;

/**
 * The approvals of a run. After a phase with an approval ends with every task done, the person is
 * asked; until they answer, no task of a later phase starts (tasks that become ready are held).
 * Approved: the held tasks go on. Rejected: the run stops `rejected`. Nobody to ask: the run
 * stops `awaiting-approval`, to be resumed with the answer. A phase that did not end with every
 * task done asks nothing (its dependents are skipped as usual) and holds nothing back.
 */
export class RunApprovals {
  /** The first phase whose approval is still open; tasks of later phases are held. */
  private firstOpen = NONE;
  private readonly open: boolean[];
  private held: number[] = [];

  constructor(
    private readonly phases: readonly PlannedPhase[],
    private readonly ask: ((request: ApprovalRequest) => ApprovalAnswer | Promise<ApprovalAnswer>) | undefined,
    private readonly host: ApprovalHost,
  ) {
    this.open = phases.map((phase) => phase.approval !== undefined);
    this.firstOpen = this.nextOpen();
  }

  /** True (and the task is kept for later) when an earlier phase's approval is still open. */
  holds(i: number, phase: number): boolean {
    if (phase <= this.firstOpen) return false;
    this.held.push(i);
    return true;
  }

  /** A phase has ended: with an approval and every task done, the person is asked. */
  phaseEnded(phase: number, allDone: boolean): void {
    const planned = this.phases[phase]!;
    if (!this.open[phase] || !planned.approval) return;
    if (!allDone) return this.close(phase, false);
    const request: ApprovalRequest = {
      phase: planned.id,
      name: planned.name,
      message: planned.approval.message,
      ...(planned.approval.show ? { show: planned.approval.show } : {}),
      signal: this.host.endSignal,
    };
    let answer: ApprovalAnswer | Promise<ApprovalAnswer>;
    try {
      answer = this.ask ? this.ask(request) : { decision: 'wait' };
    } catch (error) {
      answer = Promise.reject(error);
    }
    Promise.resolve(answer).then(
      (given) => this.answered(phase, given),
      (error: unknown) => this.answered(phase, { decision: 'rejected', reason: `the approval could not be asked: ${(error as Error)?.message ?? String(error)}` }),
    );
  }

  private answered(phase: number, answer: ApprovalAnswer): void {
    if (this.host.ended) return;
    const id = this.phases[phase]!.id;
    if (answer.decision === 'approved') return this.close(phase, true);
    if (answer.decision === 'rejected') {
      const error: ErrorInfo = { code: 'REJECTED', message: `rejected at the approval of phase "${id}": ${answer.reason}` };
      this.host.stopRun({ error, active: 'cancelled', idle: 'skipped', cancelled: false }, 'rejected');
    } else {
      const error: ErrorInfo = { code: 'AWAITING_APPROVAL', message: `waiting for approval of phase "${id}"` };
      this.host.stopRun({ error, active: 'cancelled', idle: 'cancelled', cancelled: false }, 'awaiting-approval');
    }
    this.host.pump();
  }

  /**
   * The approval is settled: the held tasks are queued again (a later approval may hold them).
   * `pump`: false when called from inside the scheduler's own bookkeeping, which pumps after.
   */
  private close(phase: number, pump: boolean): void {
    this.open[phase] = false;
    this.firstOpen = this.nextOpen();
    const held = this.held;
    this.held = [];
    for (const i of held) this.host.ready(i);
    if (pump) this.host.pump();
  }

  private nextOpen(): number {
    const index = this.open.indexOf(true);
    return index === -1 ? NONE : index;
  }
}
