/** '000Z' .. '999Z': the millisecond tails of an ISO timestamp, made once. */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, '0')}Z`);

/**
 * ISO-8601 timestamps for a run's events, as `new Date(ms).toISOString()` gives them. The part
 * up to the seconds is formatted once per second and the milliseconds come from a table:
 * `toISOString` was the costliest call on a task's way from one event to the next.
 */
export class Timestamps {
  private lastMs = Number.NaN;
  private last = '';
  private second = Number.NaN;
  /** `YYYY-MM-DDTHH:mm:ss.` of `second`. */
  private prefix = '';

  format(ms: number): string {
    if (ms === this.lastMs) return this.last;
    this.lastMs = ms;
    const whole = Math.trunc(ms); // as Date does
    const second = Math.floor(whole / 1000);
    if (second !== this.second || !Number.isFinite(whole)) {
      const iso = new Date(whole).toISOString();
      this.second = second;
      this.prefix = iso.slice(0, -4);
      return (this.last = iso);
    }
    return (this.last = this.prefix + MILLIS[whole - second * 1000]!);
  }
}
