import Anthropic from '@anthropic-ai/sdk';
import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { PriceLookup } from '../cost.js';
import type { Model, ModelResolver } from '../model.js';
import { priceOf } from '../prices.js';
import { resolveModelId, wantsLongContext } from '../model-aliases.js';
import { AnthropicModel } from './anthropic-model.js';
import { PrefixGate } from './prefix-gate.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export interface AnthropicProviderOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** `--model` / `ORCHESTRATE_MODEL`: overrides every agent's model. */
  model?: string | undefined;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Jitter source for backoff; tests pin it. */
  random?: () => number;
  /** Prices to use instead of the table's (`--price`). @default the price table */
  prices?: PriceLookup;
}

/**
 * The Claude provider: one SDK client for the run (`ANTHROPIC_API_KEY` or `ANTHROPIC_AUTH_TOKEN`,
 * `ANTHROPIC_BASE_URL` for a gateway or a local server), one model object per model id.
 * The SDK's retries are off on purpose; see `retry.ts`.
 */
export async function createAnthropicModels(options: AnthropicProviderOptions): Promise<{ provider: 'anthropic'; banner: string; resolve: ModelResolver }> {
  const { env } = options;
  const client = new Anthropic({
    ...(env.ANTHROPIC_API_KEY ? { apiKey: env.ANTHROPIC_API_KEY } : { authToken: env.ANTHROPIC_AUTH_TOKEN ?? null }),
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    maxRetries: 0,
  });
  const shared = {
    client,
    clock: options.clock ?? systemClock,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    gate: new PrefixGate(),
    // Off only to measure what caching saves (bench/cache.mjs): ORCHESTRATE_PROMPT_CACHE=off.
    cache: env.ORCHESTRATE_PROMPT_CACHE !== 'off',
    prices: options.prices ?? priceOf,
    ...(options.random ? { random: options.random } : {}),
  };
  const models = new Map<string, Model>();
  const resolve = (agentModel: string): Model => {
    const modelId = resolveModelId(agentModel, options.model);
    const longContext = wantsLongContext(agentModel, options.model);
    const key = longContext ? `${modelId}[1m]` : modelId;
    let model = models.get(key);
    if (!model) models.set(key, (model = new AnthropicModel({ ...shared, modelId, longContext })));
    return model;
  };
  const defaultId = resolveModelId('inherit', options.model);
  const where = env.ANTHROPIC_BASE_URL ? ` through ${safeHost(env.ANTHROPIC_BASE_URL)}` : '';
  return {
    provider: 'anthropic',
    banner: `Claude plays the agents${where}: each agent's own model (haiku, sonnet, opus), ${options.model ? `overridden by ${defaultId}` : `${defaultId} by default`}.`,
    resolve,
  };
}

/** The base URL's origin only: a gateway URL may carry a token in its path or query. */
function safeHost(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'ANTHROPIC_BASE_URL';
  }
}
