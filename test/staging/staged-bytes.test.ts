import { describe, expect, it } from 'vitest';
import { StagedBytes } from '../../src/staging/staged-bytes.js';

describe('the run\'s staged-byte count', () => {
  it('reservations of running attempts count against the cap at once; a rewrite charges only its growth', () => {
    const count = new StagedBytes([{ path: 'a.ts', size: 50 }]);
    expect(count.reserve('t1#1', 'b.ts', 30, 100)).toBeUndefined();
    expect(count.reserve('t2#1', 'c.ts', 30, 100)).toBe(110);
    expect(count.reserve('t2#1', 'a.ts', 60, 100)).toBeUndefined(); // 10 more than staged
    expect(count.total).toBe(90);
    expect(count.reserve('t1#1', 'b.ts', 10, 100)).toBeUndefined(); // written again, smaller
    expect(count.total).toBe(70);
  });

  it('a result is staged only when it fits beside the other reservations; a refused one frees its own', () => {
    const count = new StagedBytes();
    expect(count.reserve('t1#1', 'a.ts', 60, 100)).toBeUndefined();
    // A queue worker's result was not reserved: checked whole when it is staged.
    expect(count.commit('t2#1', [{ path: 'b.ts', bytes: 50 }], [], 100)).toBe(110);
    expect(count.total).toBe(60);
    expect(count.commit('t1#1', [{ path: 'a.ts', bytes: 60 }], [], 100)).toBeUndefined();
    expect(count.commit('t2#2', [{ path: 'b.ts', bytes: 40 }], ['a.ts'], 100)).toBeUndefined();
    expect(count.total).toBe(40);
    count.reserve('t3#1', 'c.ts', 20, 100);
    count.release('t3#1');
    expect(count.total).toBe(40);
  });
});
