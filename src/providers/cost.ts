import { CACHE_READ_MULTIPLIER, CACHE_WRITE_MULTIPLIER, priceOf } from './prices.js';

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/**
 * The cost in USD of one model call from the price table. A model the table does not know
 * costs 0 (and says so through `known`), so a gateway's own model names never break a run.
 */
export function costOf(modelId: string, tokens: TokenCounts): { usd: number; known: boolean } {
  const price = priceOf(modelId);
  if (!price) return { usd: 0, known: false };
  const totalInput = tokens.inputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens;
  const long = price.longContext && totalInput > price.longContext.aboveTokens ? price.longContext : undefined;
  const input = long?.input ?? price.input;
  const output = long?.output ?? price.output;
  const cacheRead = long?.cacheRead ?? price.cacheRead ?? input * CACHE_READ_MULTIPLIER;
  const cacheWrite = price.cacheWrite && !long ? price.cacheWrite : input * CACHE_WRITE_MULTIPLIER;
  const usd =
    (tokens.inputTokens * input + tokens.outputTokens * output + tokens.cacheReadTokens * cacheRead + tokens.cacheWriteTokens * cacheWrite) /
    1_000_000;
  return { usd, known: true };
}
