import { describe, expect, it } from 'vitest';
import { CASES } from '../../bench/engine/cases.mjs';
import { idealLanes } from '../../bench/engine/timers.mjs';

const total = (lane: number[]) => lane.reduce((sum, ms) => sum + ms, 0);

describe('the timers-alone baseline of the benchmark', () => {
  it('sleeps each bound case along its ideal schedule, the longest lane exactly the bound', () => {
    for (const name of ['five-phase', 'uneven', 'limited']) {
      const spec = CASES[name]!;
      const lanes = idealLanes(spec.tasks(), spec.concurrency);
      expect(Math.max(...lanes.map(total)), name).toBe(spec.boundMs);
    }
  });

  it('keeps the concurrency of the limited case: 8 lanes of 25 sleeps of 10 ms', () => {
    const spec = CASES.limited!;
    expect(idealLanes(spec.tasks(), spec.concurrency)).toEqual(Array.from({ length: 8 }, () => Array(25).fill(10)));
  });

  it('folds a wait for another lane into the next sleep, and sets no timer for a no-op task', () => {
    expect(idealLanes(CASES['five-phase']!.tasks(), Infinity)).toEqual([
      [20, 20, 20, 20, 20],
      [20, 40, 20],
    ]);
    expect(idealLanes(CASES.uneven!.tasks(), Infinity)).toEqual([[60], [20, 20, 20]]);
  });

  it('refuses a graph that cannot be scheduled', () => {
    expect(() => idealLanes([{ id: 'a', needs: ['b'], ms: 5 }, { id: 'b', needs: ['a'], ms: 5 }], 2)).toThrow(/cannot be scheduled/);
  });
});
