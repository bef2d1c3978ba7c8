import { describe, expect, it } from 'vitest';
import { RequestRateLimiter } from '../../src/engine/rate-limit.js';
import { FakeClock, settle } from './fake-clock.js';

describe('requests-per-minute limiter', () => {
  it('lets N requests through per sliding minute, the rest wait their turn in order', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requestsPerMinute: 3, clock });
    const granted: string[] = [];
    const ask = (name: string) => limiter.acquire().then(() => granted.push(`${name}@${(clock.now() - Date.UTC(2026, 0, 1)) / 1000}s`));
    for (const name of ['a', 'b', 'c', 'd', 'e']) void ask(name);
    await settle();
    expect(granted).toEqual(['a@0s', 'b@0s', 'c@0s']);
    await clock.advance(59_999);
    expect(granted).toHaveLength(3);
    await clock.advance(1);
    expect(granted).toEqual(['a@0s', 'b@0s', 'c@0s', 'd@60s', 'e@60s']);
    expect(limiter.inWindow).toBe(2);
  });

  it('a waiter whose signal aborts leaves the line with the signal reason', async () => {
    const clock = new FakeClock();
    const limiter = new RequestRateLimiter({ requestsPerMinute: 1, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    const next = limiter.acquire();
    await clock.advance(60_000);
    await expect(next).resolves.toBeUndefined();
  });
});
