import { priceOf } from '../providers/prices.js';

/**
 * Rough figures for `--dry-run`. The run itself counts real usage; these only size a run
 * before it starts, and the dry run prints them as assumptions.
 */
export const CHARS_PER_TOKEN = 4;
export const ASSUMED_TURNS = 4;
export const ASSUMED_OUTPUT_TOKENS_PER_TURN = 1500;

/** Estimated cost in USD from the provider's price table; null for a model the table does not know. */
export function estimateCost(modelId: string, inputTokens: number, outputTokens: number): number | null {
  const price = priceOf(modelId);
  return price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : null;
}
