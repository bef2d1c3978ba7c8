import { UserError } from '../errors.js';
import type { Clock } from '../runtime/clock.js';
import type { Model, ModelResolver } from './model.js';
import { resolveModelId } from './model-aliases.js';
import { OfflineModel } from './offline/offline-model.js';
import type { OfflineRoles } from './offline/script.js';
import { Recorder, Replayer } from './recording.js';

/** The providers orchestrate has, by the name `--provider` takes. */
export const PROVIDER_NAMES = ['offline', 'anthropic'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

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
  /** `--record <dir>`: save every model exchange of the run there. */
  record?: string | undefined;
  /** `--replay <dir>`: answer from a recording, with no network. */
  replay?: string | undefined;
  /** The run's clock: retry backoff waits on it. */
  clock?: Clock | undefined;
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
  if (options.replay) return replayProvider(options.replay, options.model, options.redact);
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
    return { provider: 'offline', banner: `Using the ${instance.provider} model ${instance.modelId}.`, resolve: () => instance };
  }
  const provider = options.provider ?? (options.env.ANTHROPIC_API_KEY ? 'anthropic' : 'offline');
  if (provider === 'offline') {
    const model = new OfflineModel(options.offlineRoles);
    return {
      provider,
      banner: 'No ANTHROPIC_API_KEY: the built-in offline model plays every agent from the service catalog and templates.',
      resolve: () => model,
    };
  }
  if (!options.env.ANTHROPIC_API_KEY && !options.env.ANTHROPIC_AUTH_TOKEN) {
    throw new UserError('MISSING_API_KEY', 'the anthropic provider needs ANTHROPIC_API_KEY; set it, or use --provider offline');
  }
  if (options.model !== undefined) resolveModelId('inherit', options.model);
  const { anthropicProvider } = await import('./anthropic/provider.js').catch((error: unknown) => {
    throw new UserError('PROVIDER_UNAVAILABLE', `the anthropic provider could not be loaded (${(error as Error).message}); use --provider offline`);
  });
  return anthropicProvider({ env: options.env, model: options.model, ...(options.clock ? { clock: options.clock } : {}) });
}

/** Plays the recorded provider's part from the files: the agents' models are checked against it. */
function replayProvider(dir: string, override: string | undefined, redact: (<T>(value: T) => T) | undefined): ProviderChoice {
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
