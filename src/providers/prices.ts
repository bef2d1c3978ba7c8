/**
 * Every Claude model orchestrate knows: its prices per million tokens in USD, and the limits the
 * provider sizes requests by. Data, not logic: update it when Anthropic's price list changes.
 *
 * Source: platform.claude.com/docs/en/about-claude/pricing ("Model pricing": base input, 5-minute
 * cache writes, cache hits, output) and each model's overview page (context window, max output,
 * default effort), as read on 2026-11-25. Sonnet 5.5 cache reads are $0.10 since the cut of
 * 2026-10-07; Opus 5.5 and Sonnet 5.5 reads are 0.05x input and Fable 5.1 / Mythos 5.1 reads
 * 0.025x, not the usual 0.1x, so every model states its cache prices instead of deriving them.
 * Minimum cacheable prompt lengths come from the prompt-caching page where it names the model;
 * the 5.1 and 5.5 models were not listed there and 1024 is assumed.
 */
export interface ModelPrice {
  input: number;
  output: number;
  /** 5-minute cache writes. */
  cacheWrite: number;
  /** Cache hits and refreshes. */
  cacheRead: number;
  /** The shortest prefix, in tokens, the API will cache for this model. */
  minCacheTokens: number;
  /** The context window, in tokens. */
  contextWindow: number;
  /** The largest `max_tokens` the model accepts. */
  maxOutputTokens: number;
  /** Whether the model takes `output_config.effort`. */
  effort: boolean;
  /** Higher rates on every token of a request whose prompt (input, cache reads and writes) is above `aboveTokens`. */
  longContext?: { aboveTokens: number; input: number; output: number; cacheWrite: number; cacheRead: number };
}

/** The date the table was last checked against the price list. */
export const PRICES_CHECKED = '2026-11-25';
export const PRICES_SOURCE = 'https://platform.claude.com/docs/en/about-claude/pricing';

/**
 * The web search tool is charged per search on top of tokens: $10 per 1,000 searches (the pricing
 * page's "Web search" line, as read on PRICES_CHECKED). Web fetch costs only the tokens it adds.
 */
export const WEB_SEARCH_USD_PER_SEARCH = 10 / 1000;

const M = 1_000_000;
const K = 1000;
const current = { contextWindow: M, maxOutputTokens: 128 * K, effort: true };

/** Keyed by model id without a date suffix; dated ids (`claude-haiku-4-5-20251001`) match their stem. */
export const MODEL_PRICES: Record<string, ModelPrice> = {
  'claude-fable-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25, minCacheTokens: 1024, ...current },
  'claude-mythos-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25, minCacheTokens: 1024, ...current },
  'claude-fable-5': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1, minCacheTokens: 512, ...current },
  'claude-mythos-5': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1, minCacheTokens: 512, ...current },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2, minCacheTokens: 1024, ...current },
  'claude-opus-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5, minCacheTokens: 512, ...current },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1, minCacheTokens: 1024, ...current },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2, minCacheTokens: 1024, ...current },
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    minCacheTokens: 1024,
    ...current,
    longContext: { aboveTokens: 100_000, input: 0.5, output: 2.5, cacheWrite: 0.625, cacheRead: 0.05 },
  },
  'claude-opus-4-8': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5, minCacheTokens: 1024, ...current },
  'claude-opus-4-7': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5, minCacheTokens: 2048, ...current },
  'claude-opus-4-6': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5, minCacheTokens: 4096, ...current },
  'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5, minCacheTokens: 4096, contextWindow: 200 * K, maxOutputTokens: 64 * K, effort: true },
  'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5, minCacheTokens: 1024, contextWindow: 200 * K, maxOutputTokens: 32 * K, effort: false },
  'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, minCacheTokens: 2048, contextWindow: M, maxOutputTokens: 64 * K, effort: true },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, minCacheTokens: 1024, contextWindow: 200 * K, maxOutputTokens: 64 * K, effort: false },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1, minCacheTokens: 4096, contextWindow: 200 * K, maxOutputTokens: 64 * K, effort: false },
};

/** The entry for a model id, matching a dated id by its stem; undefined when unknown. */
export function priceOf(modelId: string): ModelPrice | undefined {
  const exact = MODEL_PRICES[modelId];
  if (exact) return exact;
  const stem = modelId.replace(/-\d{8}$/, '').replace(/-latest$/, '');
  return MODEL_PRICES[stem];
}
