import { UserError } from '../../errors.js';
import { resolveModelId } from '../model-aliases.js';
import { priceOf } from '../prices.js';
import type { ProviderDefinition } from '../provider-definition.js';

/** Claude through the Messages API. The SDK is loaded only when a run uses it. */
export const anthropicProvider: ProviderDefinition = {
  name: 'anthropic',
  description: 'Claude through the Messages API (ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN; ANTHROPIC_BASE_URL for a gateway)',
  chosenWhen: (env) => Boolean(env.ANTHROPIC_API_KEY),
  missing: (env) => (env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN ? undefined : 'the anthropic provider needs ANTHROPIC_API_KEY; set it, or use --provider offline'),
  modelId: (agentModel, override) => resolveModelId(agentModel, override),
  prices: priceOf,
  webResearch: true,
  // Anthropic's lowest tier allows 50 requests per minute.
  defaultRequestsPerMinute: 50,
  create: async (setup) => {
    if (setup.model !== undefined) resolveModelId('inherit', setup.model);
    const { createAnthropicModels } = await import('./provider.js').catch((error: unknown) => {
      throw new UserError('PROVIDER_UNAVAILABLE', `the anthropic provider could not be loaded (${(error as Error).message}); use --provider offline`);
    });
    return createAnthropicModels({ env: setup.env, model: setup.model, ...(setup.prices ? { prices: setup.prices } : {}), ...(setup.clock ? { clock: setup.clock } : {}) });
  },
};
