import { UserError } from '../errors.js';
import { anthropicProvider } from './anthropic/definition.js';
import { offlineProvider } from './offline/definition.js';
import type { ProviderDefinition } from './provider-definition.js';

/**
 * Every model provider orchestrate has, one line each. When a run names none, the first whose
 * `chosenWhen` says yes is used, so the order matters: a provider that needs a key comes before
 * the offline model, which is always available. Adding a provider: a folder under
 * `src/providers/` exporting a {@link ProviderDefinition}, and one line here.
 */
export const PROVIDERS: readonly ProviderDefinition[] = [
  anthropicProvider,
  offlineProvider,
];

/** The names `--provider` takes. */
export const PROVIDER_NAMES: readonly string[] = PROVIDERS.map((provider) => provider.name);

/** A provider's name, as the registry lists it. */
export type ProviderName = string;

/** The provider called `name`; a UserError naming the ones there are when none is. */
export function findProvider(name: string, registry: readonly ProviderDefinition[] = PROVIDERS): ProviderDefinition {
  const found = registry.find((provider) => provider.name === name);
  if (!found) throw new UserError('BAD_PROVIDER', `unknown provider "${name}"; use ${registry.map((p) => p.name).join(' or ')}`);
  return found;
}

/** The provider a run uses: the one it names, else the first the environment chooses. */
export function chooseProvider(name: string | undefined, env: Readonly<Record<string, string | undefined>>, registry: readonly ProviderDefinition[] = PROVIDERS): ProviderDefinition {
  if (name !== undefined) return findProvider(name, registry);
  const chosen = registry.find((provider) => provider.chosenWhen?.(env));
  if (!chosen) throw new UserError('NO_PROVIDER', `no provider is available here; name one with --provider (${registry.map((p) => p.name).join(', ')})`);
  return chosen;
}
