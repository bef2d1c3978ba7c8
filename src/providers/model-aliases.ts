import { UserError } from '../errors.js';

/**
 * The model aliases an agent's frontmatter may use, and the current Claude model each one means.
 * One table, so moving an alias to a newer model is a one-line change.
 */
export const MODEL_ALIASES = {
  haiku: 'claude-haiku-5-5',
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
} as const satisfies Record<string, string>;

export type ModelAlias = keyof typeof MODEL_ALIASES;

/** The model an agent with `model: inherit` (or no model) runs on when the run names none. */
export const DEFAULT_MODEL_ALIAS: ModelAlias = 'sonnet';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

/**
 * The concrete model id for an agent: the run's override (`--model`, `ORCHESTRATE_MODEL`) wins,
 * then the agent's frontmatter `model`; `inherit` means the run's default. Aliases map through
 * {@link MODEL_ALIASES}; anything else is taken as a full model id, so gateways and new models work.
 *
 * @example
 * resolveModelId('haiku') // 'claude-haiku-5-5'
 * resolveModelId('haiku', 'opus') // 'claude-opus-5-5'
 * resolveModelId('inherit') // 'claude-sonnet-5-5'
 */
export function resolveModelId(agentModel: string | undefined, override?: string): string {
  const chosen = override?.trim() || (agentModel && agentModel !== 'inherit' ? agentModel.trim() : DEFAULT_MODEL_ALIAS);
  if (chosen === 'inherit') return MODEL_ALIASES[DEFAULT_MODEL_ALIAS];
  const alias = MODEL_ALIASES[chosen.toLowerCase() as ModelAlias];
  if (alias) return alias;
  if (!MODEL_ID.test(chosen)) {
    throw new UserError('BAD_MODEL', `"${chosen}" is not a model alias (haiku, sonnet, opus, inherit) or a model id`);
  }
  return chosen;
}
