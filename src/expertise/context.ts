import type { ExpertiseContext } from '../providers/model.js';
import type { ExpertiseFile } from '../schema/expertise.js';
import { findCatalogEntry } from './catalog.js';

const MAX_LEARNINGS = 20;
const MAX_CONVENTIONS = 30;

/** The part of the expertise an agent needs for one run: bounded in size, service first. */
export function expertiseContext(data: ExpertiseFile | undefined, service: string | undefined): ExpertiseContext {
  if (!data) return { learnings: [], conventions: [] };
  const entry = service ? findCatalogEntry(data, service)?.entry : undefined;
  const learnings = (data.learnings ?? [])
    .map((learning) => ({ learning, mine: service !== undefined && learning.service === service }))
    .sort((a, b) => Number(b.mine) - Number(a.mine) || (b.learning.seen ?? 1) - (a.learning.seen ?? 1))
    .slice(0, MAX_LEARNINGS)
    .map(({ learning }) => ({
      insight: learning.insight,
      ...(learning.context ? { context: learning.context } : {}),
      ...(learning.seen ? { seen: learning.seen } : {}),
    }));
  const conventions = Array.isArray(data.conventions)
    ? data.conventions.filter((c): c is string => typeof c === 'string').slice(0, MAX_CONVENTIONS)
    : [];
  return { ...(entry ? { catalogEntry: entry as Record<string, unknown> } : {}), learnings, conventions };
}
