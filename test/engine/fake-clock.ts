import type { Clock } from '../../src/runtime/clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Lets every pending promise callback run (one macrotask turn), without waiting on time. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock whose time moves only when the test says so. `sleep` registers a timer; `advance`
 * fires due timers in time order, letting the engine react between them.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.time + ms, seq: this.seq++, resolve: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal.reason);
      }, { once: true });
    });

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.resolve();
      await settle();
    }
    this.time = target;
    await settle();
  }
}
