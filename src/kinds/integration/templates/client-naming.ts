import type { EnvVar, ServiceEntry } from '../catalog/schema.js';

/** ` (UNVERIFIED)` after a fact the catalog could not confirm. */
export const mark = (confidence: string) => (confidence === 'unverified' ? ' (UNVERIFIED)' : '');

/** The environment variables the API client reads. */
export function clientEnvVars(service: ServiceEntry): EnvVar[] {
  return service.envVars.filter((v) => v.use === 'client' && v.required);
}

/** `STRIPE` for Stripe, `COINBASE_COMMERCE` for Coinbase Commerce: the prefix of `<SERVICE>_API_BASE_URL`. */
export function envPrefix(service: ServiceEntry): string {
  // A custom API is named by its host (ACME_CORP), like its other variables.
  if (service.category === 'custom') return service.className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return service.id.replace(/-/g, '_').toUpperCase();
}

/** `TWILIO_AUTH_TOKEN` -> `twilioAuthToken`. */
export function camel(envVar: string): string {
  return envVar.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
