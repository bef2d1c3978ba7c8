import { UserError } from '../errors.js';
import type { Clock } from '../runtime/clock.js';
import type { Model } from './model.js';
import type { ProviderChoice, ProviderDefinition, ProviderSetup } from './provider-definition.js';
import { chooseProvider, PROVIDERS } from './registry.js';
import type { PriceLookup } from './cost.js';

/** A price the user gives (`--price`) for models the table does not know, USD per million tokens. */
export interface UserPrice {
  input: number;
  output: number;
  /** @default 0.1x input */
  cacheRead?: number;
  /** @default 1.25x input */
  cacheWrite?: number;
}

/** A provider's prices, and the user's for any model they do not know. */
export function withUserPrice(prices: PriceLookup, price: UserPrice | undefined): PriceLookup {
  if (!price) return prices;
  const fallback = { input: price.input, output: price.output, cacheRead: price.cacheRead ?? price.input * 0.1, cacheWrite: price.cacheWrite ?? price.input * 1.25 };
  return (modelId) => prices(modelId) ?? fallback;
}

export type { ProviderChoice } from './provider-definition.js';
export { PROVIDER_NAMES, type ProviderName } from './registry.js';

export interface ProviderOptions {
  env: Readonly<Record<string, string | undefined>>;
  provider?: string | undefined;
  /** The providers to choose from. @default the registry's ({@link PROVIDERS}) */
  providers?: readonly ProviderDefinition[] | undefined;
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
  offlineRoles?: ProviderSetup['offlineRoles'];
  /** Cuts secrets out of what a recording saves (and of the requests a replay compares). */
  redact?: (<T>(value: T) => T) | undefined;
}

/**
 * Picks the provider: a replay when asked, else the one named, else the registry's first that
 * the environment chooses (`providers/registry.ts`); and wraps it in a recorder for `--record`.
 * Every provider comes from the registry: this file builds none of them.
 */
export async function selectProvider(options: ProviderOptions): Promise<ProviderChoice> {
  if (options.record && options.replay) throw new UserError('BAD_OPTIONS', '--record and --replay cannot be used together; choose one');
  if (options.replay) {
    return replayProvider(options.replay, options, options.redact);
  }
  const choice = await liveProvider(options);
  if (!options.record) return choice;
  // Recording and replay (and their file formats) load only for --record and --replay.
  const { Recorder } = await import('./recording.js');
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
  const definition = chooseProvider(options.provider, options.env, options.providers);
  const missing = definition.missing?.(options.env);
  if (missing) throw new UserError('MISSING_API_KEY', missing);
  const prices = definition.prices ? withUserPrice(definition.prices, options.price) : undefined;
  const made = await definition.create({
    env: options.env,
    model: options.model,
    ...(prices ? { prices } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.offlineRoles ? { offlineRoles: options.offlineRoles } : {}),
  });
  return {
    provider: definition.name,
    banner: made.banner,
    resolve: made.resolve,
    priced: prices ? (id) => prices(id) !== undefined : () => true,
    ...(definition.webResearch ? { webResearch: true } : {}),
  };
}

/** Plays the recorded provider's part from the files: the agents' models are checked against it. */
async function replayProvider(dir: string, options: ProviderOptions, redact: (<T>(value: T) => T) | undefined): Promise<ProviderChoice> {
  const { Replayer } = await import('./recording.js');
  const replayer = Replayer.open(dir, redact);
  const definition = (options.providers ?? PROVIDERS).find((provider) => provider.name === replayer.info.provider);
  const prices = definition?.prices ? withUserPrice(definition.prices, options.price) : undefined;
  const models = new Map<string, Model>();
  return {
    provider: definition?.name ?? 'offline',
    banner: `Replaying the ${replayer.info.provider} model exchanges recorded in ${dir}: no network.`,
    resolve: (agentModel) => {
      const expected = definition?.modelId?.(agentModel, options.model);
      const key = expected ?? '*';
      let model = models.get(key);
      if (!model) models.set(key, (model = replayer.model(expected)));
      return model;
    },
    priced: prices ? (id) => prices(id) !== undefined : () => true,
    ...(definition?.webResearch ? { webResearch: true } : {}),
  };
}
