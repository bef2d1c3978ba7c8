import { UserError } from '../errors.js';

/**
 * The model aliases an agent's frontmatter may use, and the current Claude model each one means.
 * One table, so moving an alias to a newer model is a one-line change.
 */
export const MODEL_ALIASES = {
  haiku: 'claude-haiku-5-5',
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
  fable: 'claude-fable-5-1',
} as const satisfies Record<string, string>;

export type ModelAlias = keyof typeof MODEL_ALIASES;

/**
 * Claude Code's other model values, as its model configuration documents them, and the alias
 * each one comes down to here:
 * - `best`: "the most capable available model": Fable where the account has it, else Opus. A run
 *   that cannot reach Fable fails with MODEL_NOT_FOUND naming the id; `--model opus` gets past it.
 * - `opusplan`: Opus in Claude Code's plan mode, Sonnet when executing. An orchestrate task always
 *   executes (it writes, runs tests, finishes), so it is Sonnet.
 * - `default`: "clears any model override": the same as `inherit`.
 */
const ALIAS_OF: Record<string, ModelAlias | 'inherit'> = { best: 'fable', opusplan: 'sonnet', default: 'inherit' };

/** The model an agent with `model: inherit` (or no model) runs on when the run names none. */
export const DEFAULT_MODEL_ALIAS: ModelAlias = 'sonnet';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;
/** `sonnet[1m]`, `claude-sonnet-4-5[1m]`: Claude Code's request for the 1M-token context window. */
const CONTEXT_SUFFIX = /\[1m\]$/i;

/** Every alias-like value an agent's `model` may hold, for messages. */
export const MODEL_VALUES = [...Object.keys(MODEL_ALIASES), ...Object.keys(ALIAS_OF), 'inherit'];

/**
 * Checks a frontmatter or `--model` value; the reason it is not a model, or undefined when it is.
 * Accepts every value Claude Code accepts: its aliases, a `[1m]` suffix, `inherit`, and full ids
 * (current or older, dated or not, gateway names included).
 */
export function modelProblem(value: string): string | undefined {
  const bare = value.trim().replace(CONTEXT_SUFFIX, '');
  if (MODEL_ID.test(bare)) return undefined;
  return `"${value}" is not a model: use ${MODEL_VALUES.join(', ')} (with an optional [1m] suffix) or a full model id such as claude-sonnet-4-5`;
}

/** The window a `[1m]` model value asks for, in tokens. */
export const LONG_CONTEXT_WINDOW = 1_000_000;

/**
 * Whether the model value the agent runs on (the run's override, else the agent's own) carries
 * Claude Code's `[1m]` suffix: the 1M-token context window, which the Messages API enables with
 * the `context-1m-2025-08-07` beta header (`anthropic-beta`), not through the model id.
 */
export function wantsLongContext(agentModel: string | undefined, override?: string): boolean {
  const given = override?.trim() || agentModel?.trim() || '';
  return CONTEXT_SUFFIX.test(given);
}

/**
 * The concrete model id for an agent: the run's override (`--model`, `ORCHESTRATE_MODEL`) wins,
 * then the agent's frontmatter `model`; `inherit` means the run's default. Aliases map through
 * {@link MODEL_ALIASES}; anything else is taken as a full model id, so gateways and new models
 * work. A `[1m]` suffix is dropped from the id: it selects the 1M-token context window, which the
 * request asks for with a beta header instead ({@link wantsLongContext}).
 *
 * @example
 * resolveModelId('haiku') // 'claude-haiku-5-5'
 * resolveModelId('haiku', 'opus') // 'claude-opus-5-5'
 * resolveModelId('inherit') // 'claude-sonnet-5-5'
 * resolveModelId('sonnet[1m]') // 'claude-sonnet-5-5'
 * resolveModelId('best') // 'claude-fable-5-1'
 */
export function resolveModelId(agentModel: string | undefined, override?: string): string {
  const given = override?.trim() || agentModel?.trim() || 'inherit';
  const problem = modelProblem(given);
  if (problem) throw new UserError('BAD_MODEL', problem);
  let chosen = given.replace(CONTEXT_SUFFIX, '');
  const lower = chosen.toLowerCase();
  const meant = ALIAS_OF[lower] ?? lower;
  if (meant === 'inherit') return MODEL_ALIASES[DEFAULT_MODEL_ALIAS];
  const alias = MODEL_ALIASES[meant as ModelAlias];
  if (alias) return alias;
  return chosen;
}
