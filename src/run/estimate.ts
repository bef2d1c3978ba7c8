import { costOf, type PriceLookup, type TokenCounts } from '../providers/cost.js';

/**
 * Rough figures for `--dry-run`. The run itself counts real usage; these only size a run
 * before it starts, and the dry run prints them as assumptions.
 */
export const CHARS_PER_TOKEN = 4;
export const ASSUMED_TURNS = 4;
export const ASSUMED_OUTPUT_TOKENS_PER_TURN = 1500;
/** The shortest prompt assumed cacheable when the price names no minimum. */
const DEFAULT_MIN_CACHE_TOKENS = 1024;

type Price = NonNullable<ReturnType<PriceLookup>> & { minCacheTokens?: number };

/**
 * A task's tokens over `turns` turns that each send its prompt (`promptTokens`: system and task
 * prompt). With prompt caching, the first turn writes the prompt to the cache and the later
 * turns read it, as the provider's breakpoints make the API do; a prompt shorter than the
 * model's minimum cacheable length is not cached. `inputTokens` counts the uncached input only.
 */
export function estimateTokens(price: Price | undefined, promptTokens: number, turns: number, cache: boolean): TokenCounts {
  const input = promptTokens * turns;
  const outputTokens = ASSUMED_OUTPUT_TOKENS_PER_TURN * turns;
  if (!cache || !price || turns === 0 || promptTokens < (price.minCacheTokens ?? DEFAULT_MIN_CACHE_TOKENS)) {
    return { inputTokens: input, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
  }
  return { inputTokens: 0, outputTokens, cacheWriteTokens: promptTokens, cacheReadTokens: promptTokens * (turns - 1) };
}

/** Estimated cost in USD at a model's price, cache writes and reads at their own prices; null for a model whose price is not known. */
export function estimateCost(modelId: string, price: Price | undefined, tokens: TokenCounts): number | null {
  return price ? costOf(modelId, tokens, () => price).usd : null;
}
