import { UserError } from '../../../errors.js';
import { customApiEntry } from './custom-api.js';
import { ServiceEntry } from './schema.js';
import { anthropic, huggingFace, openai, replicate } from './services/ai.js';
import { azureBlob, gcs, lambda } from './services/cloud.js';
import { sendgrid, mailgun, slack, discord } from './services/communication.js';
import { postgresql, redis, mongodb, s3, mysql, dynamodb } from './services/data.js';
import { netlify, vercel } from './services/hosting.js';
import { stripe, paypal, square, coinbaseCommerce } from './services/payments.js';
import { github, shopify } from './services/platforms.js';
import { twilio } from './services/twilio.js';
import { anthropicOperations, huggingFaceOperations, openaiOperations, replicateOperations } from './operations/ai.js';
import { discordOperations, mailgunOperations, sendgridOperations, slackOperations, twilioOperations } from './operations/communication.js';
import { netlifyOperations, vercelOperations } from './operations/hosting.js';
import { coinbaseCommerceOperations, paypalOperations, squareOperations, stripeOperations } from './operations/payments.js';
import { githubOperations, shopifyOperations } from './operations/platforms.js';
import type { HttpOperationsInput } from './schema.js';

const RAW = [
  ...[stripe, paypal, square, coinbaseCommerce],
  ...[twilio, sendgrid, mailgun, slack, discord, github, shopify],
  ...[openai, anthropic, huggingFace, replicate],
  ...[postgresql, redis, mongodb, mysql, dynamodb],
  ...[s3, lambda, gcs, azureBlob, vercel, netlify],
];

/** The operations of each HTTP API, by service id (kept apart from the service facts they call). */
const OPERATIONS: Record<string, HttpOperationsInput> = {
  stripe: stripeOperations,
  paypal: paypalOperations,
  square: squareOperations,
  'coinbase-commerce': coinbaseCommerceOperations,
  twilio: twilioOperations,
  sendgrid: sendgridOperations,
  mailgun: mailgunOperations,
  slack: slackOperations,
  discord: discordOperations,
  github: githubOperations,
  shopify: shopifyOperations,
  openai: openaiOperations,
  anthropic: anthropicOperations,
  'hugging-face': huggingFaceOperations,
  replicate: replicateOperations,
  vercel: vercelOperations,
  netlify: netlifyOperations,
};

/** The service name that takes a URL instead of a catalog entry. */
export const CUSTOM_API = 'custom-api';

let parsed: Map<string, ServiceEntry> | undefined;

/** The service catalog, validated on first use, by id and alias. */
export function serviceCatalog(): ReadonlyMap<string, ServiceEntry> {
  if (!parsed) {
    parsed = new Map();
    for (const raw of RAW) {
      const entry = ServiceEntry.parse(OPERATIONS[raw.id] ? { ...raw, http: OPERATIONS[raw.id] } : raw);
      parsed.set(entry.id, entry);
      for (const alias of entry.aliases) parsed.set(alias, entry);
    }
  }
  return parsed;
}

/** Every catalog entry once, in catalog order. */
export function catalogServices(): ServiceEntry[] {
  return [...new Set(serviceCatalog().values())];
}

export function findService(name: string): ServiceEntry | undefined {
  return serviceCatalog().get(name.toLowerCase());
}

/**
 * The entry a run is about, from the workflow inputs: a catalog service, or `custom-api`
 * with `inputs.url`. Undefined when the service is unknown.
 */
export function serviceForInputs(inputs: Readonly<Record<string, unknown>>): ServiceEntry | undefined {
  const name = typeof inputs.service === 'string' ? inputs.service : undefined;
  if (!name) return undefined;
  if (name.toLowerCase() === CUSTOM_API) {
    try {
      return ServiceEntry.parse(customApiEntry(inputs.url));
    } catch {
      return undefined;
    }
  }
  return findService(name);
}

/**
 * Looks a service up, or fails with the closest names the catalog knows. `custom-api`
 * needs `url`, and fails with a clear message without it.
 */
export function requireService(name: string, url?: unknown): ServiceEntry {
  if (name.toLowerCase() === CUSTOM_API) return ServiceEntry.parse(customApiEntry(url));
  const entry = findService(name);
  if (entry) return entry;
  const lower = name.toLowerCase();
  const names = [...serviceCatalog().keys()];
  const ids = catalogServices().map((e) => e.id);
  // Each id and alias is compared with what was typed, against its own length (a short alias
  // such as `gcs` must not stand for its long id's looser threshold).
  const close = [
    ...new Set(
      names
        .map((alias) => ({ alias, id: serviceCatalog().get(alias)!.id, distance: editDistance(lower, alias) }))
        .filter(({ alias, distance }) => distance <= Math.max(2, Math.floor(alias.length / 3)) || alias.startsWith(lower) || (lower.length >= 3 && alias.includes(lower)))
        .sort((a, b) => a.distance - b.distance)
        .map(({ id }) => id),
    ),
  ];
  const hint = close.length ? `did you mean ${close.slice(0, 3).join(', ')}?` : `known services: ${ids.sort().join(', ')}`;
  throw new UserError('UNKNOWN_SERVICE', `unknown service "${name}": ${hint} (or use "custom-api <url>" for any REST API)`);
}

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
