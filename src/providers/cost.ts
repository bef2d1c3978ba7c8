import { type ModelPrice, priceOf } from './prices.js';

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** The prices a run uses: the table's, and the user's own (`--price`) for models it does not know or prices otherwise. */
export type PriceLookup = (modelId: string) => Pick<ModelPrice, 'input' | 'output' | 'cacheWrite' | 'cacheRead' | 'longContext'> | undefined;

/**
 * The cost in USD of one model call. A model without a price costs 0 and says so through
 * `known: false`: the run refuses such a model under `--budget-usd` before it starts, and the
 * report marks its cost unknown.
 */
export function costOf(modelId: string, tokens: TokenCounts, prices: PriceLookup = priceOf): { usd: number; known: boolean } {
  const price = prices(modelId);
  if (!price) return { usd: 0, known: false };
  const prompt = tokens.inputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens;
  const rates = price.longContext && prompt > price.longContext.aboveTokens ? price.longContext : price;
  const usd =
    (tokens.inputTokens * rates.input + tokens.outputTokens * rates.output + tokens.cacheReadTokens * rates.cacheRead + tokens.cacheWriteTokens * rates.cacheWrite) /
    1_000_000;
  return { usd, known: true };
}
