import type { Clock } from '../runtime/clock.js';

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A limit on model requests per minute shared by every task of a run (or of several runs,
 * when they share the instance), so a fan-out never floods the provider. A sliding window
 * over the injected clock; waiters are served first come, first served.
 *
 * @example
 * const limiter = new RequestRateLimiter({ requestsPerMinute: 50, clock });
 * await limiter.acquire(signal); // then make the model call
 */
export class RequestRateLimiter {
  readonly requestsPerMinute: number;
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly stamps: number[] = [];
  private readonly waiters: Waiter[] = [];
  private pumping = false;

  constructor(options: { requestsPerMinute: number; clock: Clock; windowMs?: number }) {
    if (!(options.requestsPerMinute >= 1)) throw new RangeError('requestsPerMinute must be at least 1');
    this.requestsPerMinute = Math.floor(options.requestsPerMinute);
    this.clock = options.clock;
    /** @default 60_000 */
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Resolves when a request may be made now; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.waiters.length === 0 && this.take()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      void this.pump();
    });
  }

  /** Requests made in the current window. */
  get inWindow(): number {
    this.prune();
    return this.stamps.length;
  }

  private prune(): void {
    const cutoff = this.clock.now() - this.windowMs;
    while (this.stamps.length > 0 && this.stamps[0]! <= cutoff) this.stamps.shift();
  }

  private take(): boolean {
    this.prune();
    if (this.stamps.length >= this.requestsPerMinute) return false;
    this.stamps.push(this.clock.now());
    return true;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        if (this.take()) {
          const waiter = this.waiters.shift()!;
          waiter.signal?.removeEventListener('abort', waiter.onAbort);
          waiter.resolve();
          continue;
        }
        await this.clock.sleep(Math.max(1, this.stamps[0]! + this.windowMs - this.clock.now()));
      }
    } finally {
      this.pumping = false;
    }
  }
}
