import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { costOf } from '../../src/providers/cost.js';
import { MODEL_ALIASES, resolveModelId } from '../../src/providers/model-aliases.js';
import { PrefixGate } from '../../src/providers/anthropic/prefix-gate.js';
import { priceOf, WEB_SEARCH_USD_PER_SEARCH } from '../../src/providers/prices.js';
import { fromApiMessage } from '../../src/providers/anthropic/anthropic-model.js';
import type Anthropic from '@anthropic-ai/sdk';
import { breachOf } from '../../src/engine/budget.js';

describe('model aliases', () => {
  it('maps haiku, sonnet and opus through one table; inherit and no model mean the default', () => {
    expect(resolveModelId('haiku')).toBe(MODEL_ALIASES.haiku);
    expect(resolveModelId('Opus')).toBe(MODEL_ALIASES.opus);
    expect(resolveModelId('inherit')).toBe(MODEL_ALIASES.sonnet);
    expect(resolveModelId(undefined)).toBe(MODEL_ALIASES.sonnet);
  });

  it('takes full ids as they are, and the run override wins over the agent', () => {
    expect(resolveModelId('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5-20250929');
    expect(resolveModelId('haiku', 'opus')).toBe(MODEL_ALIASES.opus);
    expect(resolveModelId('haiku', 'claude-opus-4-1')).toBe('claude-opus-4-1');
    expect(resolveModelId('inherit', 'haiku')).toBe(MODEL_ALIASES.haiku);
  });

  it('refuses something that is not a model name, with a user error', () => {
    expect(() => resolveModelId('haiku please!')).toThrow(UserError);
  });
});

describe('price table', () => {
  it('prices input, output, cache reads and writes per million tokens', () => {
    const tokens = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 };
    expect(costOf('claude-sonnet-5-5', tokens).usd).toBeCloseTo(2 + 10 + 0.1 + 2.5, 10);
    // Cache reads are not always 0.1x input: 0.05x on Opus 5.5, 0.025x on Fable 5.1.
    expect(costOf('claude-opus-5-5', tokens).usd).toBeCloseTo(4 + 20 + 0.2 + 5, 10);
    expect(costOf('claude-fable-5-1', tokens).usd).toBeCloseTo(10 + 50 + 0.25 + 12.5, 10);
  });

  it('matches dated ids by their stem, and an unknown model costs 0 and says so', () => {
    expect(priceOf('claude-haiku-4-5-20251001')).toBe(priceOf('claude-haiku-4-5'));
    expect(costOf('my-gateway-model', { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 })).toEqual({ usd: 0, known: false });
  });

  it('uses long-context rates above the threshold', () => {
    const small = costOf('claude-haiku-5-5', { inputTokens: 100_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }).usd;
    const large = costOf('claude-haiku-5-5', { inputTokens: 100_001, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }).usd;
    expect(large / small).toBeGreaterThan(4);
    // The prompt counts cache reads and writes too.
    const cached = costOf('claude-haiku-5-5', { inputTokens: 1, outputTokens: 0, cacheReadTokens: 100_000, cacheWriteTokens: 0 }).usd;
    expect(cached).toBeCloseTo((0.5 + 100_000 * 0.05) / 1e6, 12);
  });

  it('knows every model the SDK lists that has a published price, each with its limits', () => {
    for (const id of ['claude-fable-5-1', 'claude-mythos-5-1', 'claude-fable-5', 'claude-opus-5-5', 'claude-opus-5', 'claude-sonnet-5-5', 'claude-sonnet-5', 'claude-haiku-5-5', 'claude-opus-4-8', 'claude-opus-4-7']) {
      expect(priceOf(id), id).toMatchObject({ input: expect.any(Number), cacheRead: expect.any(Number), maxOutputTokens: expect.any(Number), contextWindow: expect.any(Number) });
    }
  });
});

describe('web search charges', () => {
  it('adds $10 per 1,000 searches of a reply to its token cost; fetches cost only their tokens', () => {
    const usage = { input_tokens: 1000, output_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const reply = (server_tool_use: { web_search_requests: number; web_fetch_requests: number } | null) =>
      ({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: 'end_turn', stop_sequence: null, usage: { ...usage, server_tool_use } }) as unknown as Anthropic.Messages.Message;
    const tokensOnly = fromApiMessage(reply(null)).usage.costUsd;
    expect(tokensOnly).toBeGreaterThan(0);
    expect(fromApiMessage(reply({ web_search_requests: 3, web_fetch_requests: 0 })).usage.costUsd).toBeCloseTo(tokensOnly + 3 * WEB_SEARCH_USD_PER_SEARCH, 10);
    expect(fromApiMessage(reply({ web_search_requests: 0, web_fetch_requests: 4 })).usage.costUsd).toBeCloseTo(tokensOnly, 10);
  });
});

describe('input-token budgets', () => {
  it('count cache reads and writes, which the API bills as input too', () => {
    const used = { inputTokens: 100, outputTokens: 0, cacheReadTokens: 5000, cacheWriteTokens: 2000, costUsd: 0, turns: 1 };
    expect(breachOf('task', 't', used, { inputTokens: 7000 })).toMatchObject({ measure: 'inputTokens', used: 7100, allowed: 7000 });
    expect(breachOf('task', 't', used, { inputTokens: 7100 })).toBeUndefined();
  });
});

describe('PrefixGate: siblings sharing a prefix let the first request go alone', () => {
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('holds back a request with the same prefix until the first has answered, not one with another prefix', async () => {
    const gate = new PrefixGate();
    const order: string[] = [];
    let answerFirst!: () => void;
    const first = gate.pass({ system: ['same'] }, () => {
      order.push('first sent');
      return new Promise<string>((resolve) => (answerFirst = () => resolve('first')));
    });
    const second = gate.pass({ system: ['same'] }, async () => {
      order.push('second sent');
      return 'second';
    });
    const other = gate.pass({ system: ['other'] }, async () => {
      order.push('other sent');
      return 'other';
    });
    await settle();
    expect(order).toEqual(['first sent', 'other sent']);
    answerFirst();
    expect(await Promise.all([first, second, other])).toEqual(['first', 'second', 'other']);
    expect(order).toEqual(['first sent', 'other sent', 'second sent']);
    // Later requests with a prefix already sent go straight through.
    await expect(gate.pass({ system: ['same'] }, async () => 'later')).resolves.toBe('later');
  });

  it('a failed first request still lets the others go', async () => {
    const gate = new PrefixGate();
    const first = gate.pass('p', async () => {
      throw new Error('529');
    });
    const second = gate.pass('p', async () => 'ok');
    await expect(first).rejects.toThrow('529');
    await expect(second).resolves.toBe('ok');
  });
});
