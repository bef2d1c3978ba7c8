import type { PriceLookup } from '../providers/cost.js';

/**
 * Rough figures for `--dry-run`. The run itself counts real usage; these only size a run
 * before it starts, and the dry run prints them as assumptions.
 */
export const CHARS_PER_TOKEN = 4;
export const ASSUMED_TURNS = 4;
export const ASSUMED_OUTPUT_TOKENS_PER_TURN = 1500;

/** Estimated cost in USD at a model's price; null for a model whose price is not known. */
export function estimateCost(price: ReturnType<PriceLookup>, inputTokens: number, outputTokens: number): number | null {
  return price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : null;
}
