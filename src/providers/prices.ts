/**
 * Prices per million tokens, in USD, and each model's minimum cacheable prompt length.
 * Data, not logic: update it when Anthropic's price list changes (platform.claude.com, "Pricing").
 * Cache writes (5-minute TTL) cost 1.25x the input price and cache reads 0.1x, as the price list
 * documents, unless a model's entry says otherwise.
 */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite?: number;
  cacheRead?: number;
  /** The shortest prefix, in tokens, the API will cache for this model. */
  minCacheTokens: number;
  /** Higher rates for long prompts (total input above `aboveTokens`). */
  longContext?: { aboveTokens: number; input: number; output: number; cacheRead?: number };
}

export const CACHE_WRITE_MULTIPLIER = 1.25;
export const CACHE_READ_MULTIPLIER = 0.1;

/**
 * Keyed by model id without a date suffix; dated ids (`claude-haiku-4-5-20251001`) match their stem.
 * Minimum cacheable sizes of the 5.5 models were not published where we looked: 1024 is assumed.
 */
export const MODEL_PRICES: Record<string, ModelPrice> = {
  'claude-fable-5-1': { input: 10, output: 50, minCacheTokens: 1024 },
  'claude-opus-5-5': { input: 4, output: 20, minCacheTokens: 1024 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2, minCacheTokens: 1024 },
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheRead: 0.01,
    minCacheTokens: 1024,
    longContext: { aboveTokens: 100_000, input: 0.5, output: 2.5, cacheRead: 0.05 },
  },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2, minCacheTokens: 1024 },
  'claude-opus-4-6': { input: 5, output: 25, minCacheTokens: 4096 },
  'claude-opus-4-5': { input: 5, output: 25, minCacheTokens: 4096 },
  'claude-opus-4-1': { input: 15, output: 75, minCacheTokens: 1024 },
  'claude-sonnet-4-6': { input: 3, output: 15, minCacheTokens: 2048 },
  'claude-sonnet-4-5': { input: 3, output: 15, minCacheTokens: 1024 },
  'claude-haiku-4-5': { input: 1, output: 5, minCacheTokens: 4096 },
};

/** The price entry for a model id, matching a dated id by its stem; undefined when unknown. */
export function priceOf(modelId: string): ModelPrice | undefined {
  const exact = MODEL_PRICES[modelId];
  if (exact) return exact;
  const stem = modelId.replace(/-\d{8}$/, '').replace(/-latest$/, '');
  return MODEL_PRICES[stem];
}
