import { describe, expect, it } from 'vitest';
import { defineWorkflow, runWorkflow } from '../../src/index.js';
import { tempRepo } from '../helpers/workspace.js';

/** A chain of `n` function tasks, each needing the one before. */
function chain(n: number) {
  return defineWorkflow({
    name: 'chain',
    description: 'a chain of no-op function tasks',
    phases: [{ id: 'chain', name: 'Chain', tasks: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, needs: i === 0 ? [] : [`t${i - 1}`], run: () => i })) }],
  });
}

/**
 * Counts the collection operations (Set.add, Map.set, Array.push) a call makes: the work a
 * quadratic step (every task's ancestors as a set) would show, counted rather than timed.
 */
async function operations(run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const originals = { add: Set.prototype.add, set: Map.prototype.set, push: Array.prototype.push };
  Set.prototype.add = function (this: Set<unknown>, value: unknown) {
    count++;
    return originals.add.call(this, value);
  };
  Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
    count++;
    return originals.set.call(this, key, value);
  };
  Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
    count++;
    return originals.push.apply(this, items);
  };
  try {
    await run();
  } finally {
    Object.assign(Set.prototype, { add: originals.add });
    Object.assign(Map.prototype, { set: originals.set });
    Object.assign(Array.prototype, { push: originals.push });
  }
  return count;
}

describe('runWorkflow on long chains', () => {
  it('chain 10,000 does at most 1.5 times the work per task of chain 1,000 (linear, not quadratic)', async () => {
    const small = chain(1_000);
    const large = chain(10_000);
    const run = (flow: ReturnType<typeof chain>) => async () => {
      const result = await runWorkflow({ workflow: flow, cwd: tempRepo(), runtime: { env: {} } });
      expect(result.status).toBe('complete');
    };
    // Warm on a third chain: first-use work (lazy imports) is not per task, and the two measured
    // workflows are each planned once in their measured call (plans are cached per workflow).
    await run(chain(1_000))();
    const perTaskSmall = (await operations(run(small))) / 1_000;
    const perTaskLarge = (await operations(run(large))) / 10_000;
    expect(perTaskLarge).toBeGreaterThan(0);
    expect(perTaskLarge / perTaskSmall).toBeLessThanOrEqual(1.5);
  }, 120_000);
});
