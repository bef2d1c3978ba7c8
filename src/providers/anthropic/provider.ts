import { UserError } from '../../errors.js';
import type { ProviderChoice } from '../select.js';

/** The Claude provider. Not built yet: it is the Anthropic provider issue's work. */
export async function anthropicProvider(_options: { env: Readonly<Record<string, string | undefined>>; model?: string | undefined }): Promise<ProviderChoice> {
  throw new UserError('PROVIDER_UNAVAILABLE', 'the anthropic provider is not built yet; unset ANTHROPIC_API_KEY or pass --provider offline');
}
