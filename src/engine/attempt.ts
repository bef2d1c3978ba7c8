import { errorInfo } from '../errors.js';
import type { ErrorInfo } from '../schema/events.js';
import type { Usage } from '../schema/usage.js';
import { BudgetExceededError } from './budget.js';
import type { TaskExecution } from './execution.js';
import { GateFailedError } from './gate.js';

/** What an executor gets for one attempt; `onUsage` is made only when an executor asks for it. */
export class Attempt implements TaskExecution {
  constructor(
    private readonly scheduler: { chargeAttempt(index: number, token: number, usage: Usage): void },
    private readonly index: number,
    private readonly token: number,
    readonly runId: string,
    readonly signal: AbortSignal,
    readonly attempt: number,
    readonly needs: Record<string, unknown>,
  ) {}

  get onUsage(): (usage: Usage) => void {
    return (usage) => this.scheduler.chargeAttempt(this.index, this.token, usage);
  }
}

/** An error as the stable info events carry, with the budget or gate it is about. */
export function describe(error: unknown): ErrorInfo {
  if (error instanceof BudgetExceededError) return { code: error.code, message: error.message, budget: error.breach };
  if (error instanceof GateFailedError) return { code: error.code, message: error.message, gate: error.check };
  return errorInfo(error);
}
