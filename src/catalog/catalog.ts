import { UserError } from '../errors.js';
import { ServiceEntry } from './schema.js';
import { twilio } from './services/twilio.js';

const RAW = [twilio];

let parsed: Map<string, ServiceEntry> | undefined;

/** The service catalog, validated on first use. */
export function serviceCatalog(): ReadonlyMap<string, ServiceEntry> {
  if (!parsed) {
    parsed = new Map();
    for (const raw of RAW) {
      const entry = ServiceEntry.parse(raw);
      parsed.set(entry.id, entry);
      for (const alias of entry.aliases) parsed.set(alias, entry);
    }
  }
  return parsed;
}

export function findService(name: string): ServiceEntry | undefined {
  return serviceCatalog().get(name.toLowerCase());
}

/** Looks a service up, or fails with the closest names the catalog knows. */
export function requireService(name: string): ServiceEntry {
  const entry = findService(name);
  if (entry) return entry;
  const ids = [...new Set([...serviceCatalog().values()].map((e) => e.id))];
  const close = ids
    .map((id) => ({ id, distance: editDistance(name.toLowerCase(), id) }))
    .filter(({ id, distance }) => distance <= Math.max(2, Math.floor(id.length / 3)) || id.startsWith(name.toLowerCase()))
    .sort((a, b) => a.distance - b.distance)
    .map(({ id }) => id);
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
