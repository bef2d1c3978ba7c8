import { describe, expect, it } from 'vitest';
import { Timestamps } from '../../src/engine/timestamps.js';

describe('Timestamps', () => {
  it('formats exactly as Date#toISOString, across seconds, fractions, negatives and far years', () => {
    const stamps = new Timestamps();
    const base = Date.UTC(2026, 10, 22, 3, 59, 59, 990);
    const times = [0, 1, 999, 1000, 1001, -1, -999.5, -1000, base, 253_402_300_799_999, 253_402_300_800_000, 8.64e15];
    for (let k = 0; k < 3000; k++) times.push(base + k * 0.37); // many per millisecond, across a minute boundary
    let seed = 7;
    for (let k = 0; k < 3000; k++) {
      seed = (seed * 48271) % 2147483647;
      times.push((seed / 2147483647) * 4e12 - 1e12);
    }
    for (const ms of times) expect(stamps.format(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('refuses a time that is not a date, as Date does', () => {
    expect(() => new Timestamps().format(Number.NaN)).toThrow(RangeError);
  });
});
