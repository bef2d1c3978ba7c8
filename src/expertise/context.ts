import type { ExpertiseContext } from '../providers/model.js';
import type { ExpertiseFile, Learning } from '../schema/expertise.js';
import { findCatalogEntry } from './catalog.js';
import { dateText } from './merge.js';

/** Bounds of the expertise handed to an agent. */
export interface ContextBound {
  /** @default 20 */
  maxLearnings: number;
  /** @default 30 */
  maxConventions: number;
  /** @default 12 */
  maxPatterns: number;
  /** Longest text kept of one insight, convention or pattern. @default 400 */
  maxItemChars: number;
  /** Total characters of every text in the context together. @default 10_000 */
  maxTotalChars: number;
}

export const DEFAULT_CONTEXT_BOUND: ContextBound = { maxLearnings: 20, maxConventions: 30, maxPatterns: 12, maxItemChars: 400, maxTotalChars: 10_000 };

/** The context plus the domain's patterns, as `name: description` lines. */
export type BoundedExpertiseContext = ExpertiseContext & { patterns: string[] };

/**
 * The part of the expertise an agent needs for one run, bounded in size: the service's catalog
 * entry, then its own learnings (most seen, then newest), then the domain's other learnings,
 * conventions and patterns. What does not fit the character budget is left out, lowest first.
 */
export function expertiseContext(data: ExpertiseFile | undefined, service: string | undefined, bound: ContextBound = DEFAULT_CONTEXT_BOUND): BoundedExpertiseContext {
  if (!data) return { learnings: [], conventions: [], patterns: [] };
  const clip = (text: string) => (text.length > bound.maxItemChars ? `${text.slice(0, bound.maxItemChars - 3)}...` : text);
  const entry = service ? findCatalogEntry(data, service)?.entry : undefined;
  let budget = bound.maxTotalChars - (entry ? JSON.stringify(entry).length : 0);
  const take = <T>(items: T[], size: (item: T) => number, max: number): T[] => {
    const out: T[] = [];
    for (const item of items.slice(0, max)) {
      if (size(item) > budget) break;
      budget -= size(item);
      out.push(item);
    }
    return out;
  };

  const learnings = take(
    rankLearnings(data.learnings ?? [], service).map((learning) => ({
      insight: clip(learning.insight),
      ...(learning.context ? { context: clip(learning.context) } : {}),
      ...(learning.seen ? { seen: learning.seen } : {}),
    })),
    (l) => l.insight.length + (l.context?.length ?? 0),
    bound.maxLearnings,
  );
  const conventions = take(Array.isArray(data.conventions) ? data.conventions.filter((c): c is string => typeof c === 'string').map(clip) : [], (c) => c.length, bound.maxConventions);
  const patterns = take(patternLines(data.patterns).map(clip), (p) => p.length, bound.maxPatterns);
  return { ...(entry ? { catalogEntry: entry as Record<string, unknown> } : {}), learnings, conventions, patterns };
}

function rankLearnings(learnings: readonly Learning[], service: string | undefined): Learning[] {
  return learnings
    .map((learning, index) => ({ learning, index, mine: service !== undefined && learning.service === service }))
    .sort(
      (a, b) =>
        Number(b.mine) - Number(a.mine) ||
        (b.learning.seen ?? 1) - (a.learning.seen ?? 1) ||
        dateText(b.learning.date).localeCompare(dateText(a.learning.date)) ||
        b.index - a.index,
    )
    .map(({ learning }) => learning);
}

/** AgileFlow files hold patterns as `{ name, description }` objects or as plain strings. */
function patternLines(patterns: unknown): string[] {
  if (!Array.isArray(patterns)) return [];
  return patterns.flatMap((p: unknown) => {
    if (typeof p === 'string') return [p];
    if (p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string') {
      const { name, description } = p as { name: string; description?: unknown };
      return [typeof description === 'string' ? `${name}: ${description}` : name];
    }
    return [];
  });
}
