import { describe, expect, it } from 'vitest';
import { PromptCache } from '../../src/testing/fake-cache.js';

const big = 'x'.repeat(8000); // 2000 tokens at 4 characters a token
const body = (system: string, user: string, mark = true) => ({
  model: 'm',
  system: [{ type: 'text', text: system, ...(mark ? { cache_control: { type: 'ephemeral' } } : {}) }],
  messages: [{ role: 'user', content: [{ type: 'text', text: user }] }],
});

describe('the fake server prompt cache', () => {
  it('writes a prefix at its breakpoint, then reads it; the rest is plain input', () => {
    const cache = new PromptCache({ minTokens: () => 1024, now: () => 0 });
    expect(cache.account(body(big, 'a'.repeat(400)))).toEqual({ cache_creation_input_tokens: 2000, cache_read_input_tokens: 0, input_tokens: 100 });
    expect(cache.account(body(big, 'b'.repeat(400)))).toEqual({ cache_creation_input_tokens: 0, cache_read_input_tokens: 2000, input_tokens: 100 });
  });

  it('does not cache below the model minimum, nor without a breakpoint, nor a different prefix', () => {
    const cache = new PromptCache({ minTokens: () => 4096, now: () => 0 });
    cache.account(body(big, 'a'));
    expect(cache.account(body(big, 'a')).cache_read_input_tokens).toBe(0);
    const unmarked = new PromptCache({ minTokens: () => 1024, now: () => 0 });
    unmarked.account(body(big, 'a', false));
    expect(unmarked.account(body(big, 'a', false))).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    const other = new PromptCache({ minTokens: () => 1024, now: () => 0 });
    other.account(body(big, 'a'));
    expect(other.account(body(`${big}!`, 'a')).cache_read_input_tokens).toBe(0);
  });

  it('expires entries after the TTL since their last use', () => {
    let now = 0;
    const cache = new PromptCache({ minTokens: () => 1024, now: () => now, ttlMs: 300_000 });
    cache.account(body(big, 'a'));
    now = 299_000;
    expect(cache.account(body(big, 'a')).cache_read_input_tokens).toBe(2000);
    now = 598_000; // within 5 minutes of the last use
    expect(cache.account(body(big, 'a')).cache_read_input_tokens).toBe(2000);
    now = 898_001;
    expect(cache.account(body(big, 'a')).cache_read_input_tokens).toBe(0);
  });

  it('finds an earlier prefix within 20 blocks before a breakpoint', () => {
    const cache = new PromptCache({ minTokens: () => 1024, now: () => 0 });
    cache.account(body(big, 'a'));
    const longer = { ...body(big, 'a', false), messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'more', cache_control: { type: 'ephemeral' } }] }] };
    // No breakpoint on the system now: the first request's entry is found by looking back from the message's.
    expect(cache.account(longer).cache_read_input_tokens).toBe(2000);
  });
});
