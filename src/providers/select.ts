import { UserError } from '../errors.js';
import type { Clock } from '../runtime/clock.js';
import type { Model, ModelResolver } from './model.js';
import { resolveModelId } from './model-aliases.js';
import { OfflineModel } from './offline/offline-model.js';
import type { OfflineRoles } from './offline/script.js';
import { Recorder, Replayer } from './recording.js';
import type { PriceLookup } from './cost.js';
import { priceOf } from './prices.js';

/** A price the user gives (`--price`) for models the table does not know, USD per million tokens. */
export interface UserPrice {
  input: number;
  output: number;
  /** @default 0.1x input */
  cacheRead?: number;
  /** @default 1.25x input */
  cacheWrite?: number;
}

/** The table's prices, and the user's for any model the table does not know. */
export function priceLookup(price: UserPrice | undefined): PriceLookup {
  if (!price) return priceOf;
  const fallback = { input: price.input, output: price.output, cacheRead: price.cacheRead ?? price.input * 0.1, cacheWrite: price.cacheWrite ?? price.input * 1.25 };
  return (modelId) => priceOf(modelId) ?? fallback;
}

/** The providers orchestrate has, by the name `--provider` takes. */
export const PROVIDER_NAMES = ['offline', 'anthropic'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ProviderChoice {
  provider: ProviderName;
  /** One line for the start of a run: which model plays the agents and why. */
  banner: string;
  resolve: ModelResolver;
  /** Whether usage of a model id is priced (the offline model's is: it is free); a budget in dollars needs it. */
  priced: (modelId: string) => boolean;
}

export interface ProviderOptions {
  env: Readonly<Record<string, string | undefined>>;
  provider?: ProviderName | undefined;
  /** `--model` / `ORCHESTRATE_MODEL`: overrides every agent's model. */
  model?: string | undefined;
  /** A model object to use for every agent (tests, custom providers). */
  instance?: Model | undefined;
  /** `--record <dir>`: save every model exchange of the run there. */
  record?: string | undefined;
  /** `--replay <dir>`: answer from a recording, with no network. */
  replay?: string | undefined;
  /** The run's clock: retry backoff waits on it. */
  clock?: Clock | undefined;
  /** `--price`: what a model the price table does not know costs, per million tokens. */
  price?: UserPrice | undefined;
  /** The roles the offline model plays, from the workflow's kind. */
  offlineRoles?: OfflineRoles | undefined;
  /** Cuts secrets out of what a recording saves (and of the requests a replay compares). */
  redact?: (<T>(value: T) => T) | undefined;
}

/**
 * Picks the provider: a replay when asked, else an explicit choice, else Claude when
 * ANTHROPIC_API_KEY is set, else offline; and wraps it in a recorder for `--record`.
 */
export async function selectProvider(options: ProviderOptions): Promise<ProviderChoice> {
  if (options.record && options.replay) throw new UserError('BAD_OPTIONS', '--record and --replay cannot be used together; choose one');
  if (options.replay) {
    const replay = replayProvider(options.replay, options.model, options.redact);
    const prices = priceLookup(options.price);
    return { ...replay, priced: replay.provider === 'offline' ? () => true : (id) => prices(id) !== undefined };
  }
  const choice = await liveProvider(options);
  if (!options.record) return choice;
  const recorder = await Recorder.create(options.record, choice.provider, options.redact);
  const wrapped = new Map<Model, Model>();
  return {
    ...choice,
    banner: `${choice.banner} Recording every model exchange in ${options.record}.`,
    resolve: (agentModel) => {
      const model = choice.resolve(agentModel);
      let recording = wrapped.get(model);
      if (!recording) wrapped.set(model, (recording = recorder.wrap(model)));
      return recording;
    },
  };
}

async function liveProvider(options: ProviderOptions): Promise<ProviderChoice> {
  if (options.instance) {
    const instance = options.instance;
    return { provider: 'offline', banner: `Using the ${instance.provider} model ${instance.modelId}.`, resolve: () => instance, priced: () => true };
  }
  const provider = options.provider ?? (options.env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  if (provider === 'offline') {
    const model = new OfflineModel(options.offlineRoles);
    return {
      provider,
      banner: 'No ANTHROPIC_API_KEY: the built-in offline model plays every agent from the service catalog and templates.',
      resolve: () => model,
      priced: () => true,
    };
  }
  if (!options.env.ANTHROPIC_API_KEY && !options.env.ANTHROPIC_AUTH_TOKEN) {
    throw new UserError('MISSING_API_KEY', 'the anthropic provider needs ANTHROPIC_API_KEY; set it, or use --provider offline');
  }
  if (options.model !== undefined) resolveModelId('inherit', options.model);
  const { anthropicProvider } = await import('./anthropic/provider.js').catch((error: unknown) => {
    throw new UserError('PROVIDER_UNAVAILABLE', `the anthropic provider could not be loaded (${(error as Error).message}); use --provider offline`);
  });
  const prices = priceLookup(options.price);
  const choice = await anthropicProvider({ env: options.env, model: options.model, prices, ...(options.clock ? { clock: options.clock } : {}) });
  return { ...choice, priced: (id) => prices(id) !== undefined };
}

/** Plays the recorded provider's part from the files: the agents' models are checked against it. */
function replayProvider(dir: string, override: string | undefined, redact: (<T>(value: T) => T) | undefined): Omit<ProviderChoice, 'priced'> {
  const replayer = Replayer.open(dir, redact);
  const recorded = replayer.info.provider === 'anthropic' ? 'anthropic' : 'offline';
  const models = new Map<string, Model>();
  return {
    provider: recorded,
    banner: `Replaying the ${replayer.info.provider} model exchanges recorded in ${dir}: no network.`,
    resolve: (agentModel) => {
      const expected = recorded === 'anthropic' ? resolveModelId(agentModel, override) : undefined;
      const key = expected ?? '*';
      let model = models.get(key);
      if (!model) models.set(key, (model = replayer.model(expected)));
      return model;
    },
  };
}
