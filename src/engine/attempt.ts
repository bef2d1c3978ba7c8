import { errorInfo } from '../errors.js';
import type { ErrorInfo } from '../schema/events.js';
import type { Usage } from '../schema/usage.js';
import { BudgetExceededError } from './budget.js';
import type { TaskExecution } from './execution.js';
import { GateFailedError } from './gate.js';

/** What an attempt asks of the scheduler that made it. */
export interface AttemptHost {
  readonly runId: string;
  chargeAttempt(index: number, token: number, usage: Usage): void;
  needsOf(index: number): Record<string, unknown>;
  phaseSignal(index: number): AbortSignal;
}

/**
 * What an executor gets for one attempt. `signal`, `needs` and `onUsage` are made only when an
 * executor reads them, so a task that never does costs no controller, object or closure for them.
 */
export class Attempt implements TaskExecution {
  private cachedNeeds: Record<string, unknown> | undefined = undefined;
  private cachedSignal: AbortSignal | undefined = undefined;

  constructor(
    private readonly host: AttemptHost,
    private readonly index: number,
    private readonly token: number,
    readonly attempt: number,
    /** Aborted when this attempt times out or ends. */
    private readonly timer: AbortController | undefined,
  ) {}

  /** The phase's signal (run cancelled or stopped, phase stopped), and the attempt's timeout. */
  get signal(): AbortSignal {
    if (this.cachedSignal) return this.cachedSignal;
    const phase = this.host.phaseSignal(this.index);
    return (this.cachedSignal = this.timer ? AbortSignal.any([phase, this.timer.signal]) : phase);
  }

  get runId(): string {
    return this.host.runId;
  }

  get needs(): Record<string, unknown> {
    return (this.cachedNeeds ??= this.host.needsOf(this.index));
  }

  get onUsage(): (usage: Usage) => void {
    return (usage) => this.host.chargeAttempt(this.index, this.token, usage);
  }
}

/** An error as the stable info events carry, with the budget or gate it is about. */
export function describe(error: unknown): ErrorInfo {
  if (error instanceof BudgetExceededError) return { code: error.code, message: error.message, budget: error.breach };
  if (error instanceof GateFailedError) return { code: error.code, message: error.message, gate: error.check };
  return errorInfo(error);
}
