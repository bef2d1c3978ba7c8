import type { CatalogEntry, ExpertiseFile } from '../schema/expertise.js';

/** Finds a service's entry in `integrations_catalog`, whatever category a person filed it under. */
export function findCatalogEntry(data: ExpertiseFile, service: string): { category: string; entry: CatalogEntry } | undefined {
  const wanted = service.toLowerCase();
  for (const [category, entries] of Object.entries(data.integrations_catalog ?? {})) {
    const entry = (entries ?? []).find((candidate) => candidate.name.toLowerCase() === wanted);
    if (entry) return { category, entry };
  }
  return undefined;
}
