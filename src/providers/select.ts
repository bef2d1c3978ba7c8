import { UserError } from '../errors.js';
import type { Model, ModelResolver } from './model.js';
import { OfflineModel } from './offline/offline-model.js';

export type ProviderName = 'offline' | 'anthropic';

export interface ProviderChoice {
  provider: ProviderName;
  /** One line for the start of a run: which model plays the agents and why. */
  banner: string;
  resolve: ModelResolver;
}

export interface ProviderOptions {
  env: Readonly<Record<string, string | undefined>>;
  provider?: ProviderName | undefined;
  /** `--model` / `ORCHESTRATE_MODEL`: overrides every agent's model. */
  model?: string | undefined;
  /** A model object to use for every agent (tests, custom providers). */
  instance?: Model | undefined;
}

/** Picks the provider: an explicit choice, else Claude when ANTHROPIC_API_KEY is set, else offline. */
export async function selectProvider(options: ProviderOptions): Promise<ProviderChoice> {
  if (options.instance) {
    const instance = options.instance;
    return { provider: 'offline', banner: `Using the ${instance.provider} model ${instance.modelId}.`, resolve: () => instance };
  }
  const provider = options.provider ?? (options.env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  if (provider === 'offline') {
    const model = new OfflineModel();
    return {
      provider,
      banner: 'No ANTHROPIC_API_KEY: the built-in offline model plays every agent from the service catalog and templates.',
      resolve: () => model,
    };
  }
  if (!options.env.ANTHROPIC_API_KEY && !options.env.ANTHROPIC_AUTH_TOKEN) {
    throw new UserError('MISSING_API_KEY', 'the anthropic provider needs ANTHROPIC_API_KEY; set it, or use --provider offline');
  }
  const { anthropicProvider } = await import('./anthropic/provider.js').catch((error: unknown) => {
    throw new UserError('PROVIDER_UNAVAILABLE', `the anthropic provider could not be loaded (${(error as Error).message}); use --provider offline`);
  });
  return anthropicProvider({ env: options.env, model: options.model });
}
