import type { Clock } from '../runtime/clock.js';
import type { PriceLookup } from './cost.js';
import type { ModelResolver } from './model.js';
import type { OfflineRoles } from './offline/script.js';

/** A provider, chosen for a run: who plays the agents, and how each agent's model is found. */
export interface ProviderChoice {
  /** The provider's name in the registry (`offline`, `anthropic`, ...); the journal records it. */
  provider: string;
  /** One line for the start of a run: which model plays the agents and why. */
  banner: string;
  resolve: ModelResolver;
  /** Whether usage of a model id is priced (a free provider's always is); a budget in dollars needs it. */
  priced: (modelId: string) => boolean;
  /** Research tasks get the API's server-side web search and fetch ({@link ProviderDefinition.webResearch}). */
  webResearch?: boolean;
}

/** What a provider is given to make its models for one run. */
export interface ProviderSetup {
  env: Readonly<Record<string, string | undefined>>;
  /** `--model` / `ORCHESTRATE_MODEL`: overrides every agent's model. */
  model?: string | undefined;
  /** The run's clock: retry backoff waits on it. */
  clock?: Clock | undefined;
  /** The provider's prices with the user's `--price` over them; undefined for a free provider. */
  prices?: PriceLookup | undefined;
  /** The roles the workflow's kind hands a provider that plays them ({@link ProviderDefinition.playsKindRoles}). */
  offlineRoles?: OfflineRoles | undefined;
}

/**
 * One model provider, as the registry (`providers/registry.ts`) lists it. A new provider is a
 * folder under `src/providers/` exporting one of these, and one line in the registry.
 *
 * @example
 * export const echoProvider: ProviderDefinition = {
 *   name: 'echo',
 *   description: 'answers every turn with the prompt',
 *   create: async () => ({ banner: 'The echo model plays every agent.', resolve: () => new EchoModel() }),
 * };
 */
export interface ProviderDefinition {
  /** The name `--provider` takes and the journal records. */
  name: string;
  /** One line for help and messages. */
  description: string;
  /**
   * Whether the provider is the default for this environment when the run names none. The
   * registry asks each in order; the first that says yes is chosen.
   * @default never the default
   */
  chosenWhen?: (env: Readonly<Record<string, string | undefined>>) => boolean;
  /** What is missing for the provider to work here, as one line naming the fix; undefined when nothing is. */
  missing?: (env: Readonly<Record<string, string | undefined>>) => string | undefined;
  /** The model id an agent's `model` means here; absent when one model plays every agent. */
  modelId?: (agentModel: string | undefined, override: string | undefined) => string;
  /** The price of a model id per million tokens; absent for a free provider (its usage is always priced, at 0). */
  prices?: PriceLookup;
  /** Plays agents from the workflow kind's roles (the offline model): the kind checks its inputs against what it can play. */
  playsKindRoles?: boolean;
  /** Offers the API's server-side web search and fetch, which research tasks then get. @default false */
  webResearch?: boolean;
  /** Requests per minute a run holds itself to by default (ORCHESTRATE_REQUESTS_PER_MINUTE overrides). @default no limit */
  defaultRequestsPerMinute?: number;
  /** Makes the run's models. Load heavy dependencies (an SDK) here, lazily, so other commands never pay for them. */
  create: (setup: ProviderSetup) => Promise<{ banner: string; resolve: ModelResolver }>;
}
