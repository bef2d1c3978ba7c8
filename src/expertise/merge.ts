import type { Document, Node, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { yaml } from '../runtime/lazy-modules.js';

const isMap = (node: unknown): node is YAMLMap => yaml().isMap(node);
const isSeq = (node: unknown): node is YAMLSeq => yaml().isSeq(node);
const isNode = (node: unknown): node is Node => yaml().isNode(node);
import type { ExpertiseChange, ExpertiseFile, Learning } from '../schema/expertise.js';
import { findCatalogEntry } from './catalog.js';

/** A learning as the engine hands it to the merge: the agent's words plus provenance. */
export interface LearningUpdate {
  insight: string;
  context?: string;
  files_affected: string[];
  agent: string;
  task: string;
  /** The person who wrote it (an approval's note or a rejection's reason). */
  author?: string;
}

/** What one run adds to one domain's expertise. */
export interface ExpertiseUpdate {
  runId: string;
  /** `YYYY-MM-DD`. */
  date: string;
  service?: string;
  /** The catalog entry to insert or update in place; keys a person added are kept. */
  catalog?: { category: string; entry: { name: string } & Record<string, unknown> };
  learnings: LearningUpdate[];
}

export interface MergeSummary {
  catalog: 'added' | 'updated' | 'unchanged';
  learningsAdded: number;
  learningsReinforced: number;
  /** Every change, in order, for the run record and `orchestrate expertise diff`. */
  changes: ExpertiseChange[];
}

/** How merged documents are printed: no line folding, `[a, b]` flow lists as people write them. */
export const YAML_OUTPUT: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

/** Case, whitespace and punctuation do not make a learning new. */
export function normaliseInsight(insight: string): string {
  return insight.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Two learnings mean the same thing: same normalised insight, same service (or both none). */
export function sameLearning(a: Pick<Learning, 'insight' | 'service'>, b: Pick<Learning, 'insight' | 'service'>): boolean {
  return normaliseInsight(a.insight) === normaliseInsight(b.insight) && (a.service ?? undefined) === (b.service ?? undefined);
}

/**
 * Applies a run's catalog entry and learnings to an expertise document in place, through the
 * yaml Document API so comments, key order and untouched formatting survive.
 */
export function applyExpertiseUpdate(document: Document, data: ExpertiseFile, update: ExpertiseUpdate): MergeSummary {
  const summary: MergeSummary = { catalog: 'unchanged', learningsAdded: 0, learningsReinforced: 0, changes: [] };
  if (update.catalog) summary.catalog = mergeCatalogEntry(document, data, update.catalog, summary.changes);

  if (!isSeq(document.get('learnings'))) document.set('learnings', document.createNode([]));
  blockStyle(document.get('learnings'));
  const known: Learning[] = [...(data.learnings ?? [])];
  const key = authorsKey(known);
  for (const learning of update.learnings) {
    const candidate = { insight: learning.insight, ...(update.service ? { service: update.service } : {}) };
    const index = known.findIndex((k) => sameLearning(k, candidate));
    if (index >= 0) {
      const seenBefore = known[index]!.seen ?? 1;
      const seen = seenBefore + 1;
      known[index] = { ...known[index]!, seen, date: update.date };
      document.setIn(['learnings', index, 'seen'], seen);
      document.setIn(['learnings', index, 'date'], update.date);
      summary.learningsReinforced++;
      summary.changes.push({ kind: 'learning-reinforced', insight: known[index]!.insight, seenBefore, seenAfter: seen });
      continue;
    }
    const entry: Learning = {
      date: update.date,
      insight: learning.insight,
      ...(learning.context ? { context: learning.context } : {}),
      ...(learning.files_affected.length ? { files_affected: learning.files_affected } : {}),
      ...(update.service ? { service: update.service } : {}),
      run_id: update.runId,
      agent: learning.agent,
      task: learning.task,
      ...(learning.author ? { author: learning.author } : {}),
      seen: 1,
    };
    known.push(entry);
    // Written under the key the file's authors use: AgileFlow files say `learning:` or `insight:`.
    const { date, insight, ...rest } = entry;
    appendItem(document, ['learnings'], key === 'learning' ? { date, learning: insight, ...rest } : entry);
    summary.learningsAdded++;
    summary.changes.push({ kind: 'learning-added', insight: learning.insight, agent: learning.agent, task: learning.task });
  }
  const before = data.last_updated === undefined ? undefined : dateText(data.last_updated);
  if (document.has('last_updated')) document.set('last_updated', update.date);
  else insertKey(document, 'last_updated', update.date, { after: 'version' });
  if (before !== update.date) summary.changes.push({ kind: 'last-updated', ...(before !== undefined ? { before } : {}), after: update.date });
  return summary;
}

/** `learning` when the file's latest learning was written with `learning:` rather than `insight:`. */
function authorsKey(learnings: readonly Learning[]): 'insight' | 'learning' {
  const last = learnings[learnings.length - 1] as Record<string, unknown> | undefined;
  return last && typeof last.learning === 'string' && last.learning === last.insight ? 'learning' : 'insight';
}

function mergeCatalogEntry(
  document: Document,
  data: ExpertiseFile,
  { category, entry }: NonNullable<ExpertiseUpdate['catalog']>,
  changes: ExpertiseChange[],
): MergeSummary['catalog'] {
  if (!isMap(document.get('integrations_catalog'))) insertKey(document, 'integrations_catalog', {}, { before: 'learnings' });
  blockStyle(document.get('integrations_catalog'));
  const found = findCatalogEntry(data, entry.name);
  if (found) {
    const index = (data.integrations_catalog![found.category] ?? []).indexOf(found.entry);
    let changed = false;
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'name') continue; // the person's spelling of the name stays
      const before = found.entry[key];
      const after = mergedValue(before, value);
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      const at = ['integrations_catalog', found.category, index, key];
      const node = document.getIn(at, true);
      if (isSeq(node) && Array.isArray(before) && Array.isArray(after)) {
        // Extend the person's list in place: its style and item comments stay.
        for (const item of after.slice(before.length)) node.add(document.createNode(item));
      } else {
        const replacement = document.createNode(after);
        if ((isSeq(node) || isMap(node)) && node.flow && (isSeq(replacement) || isMap(replacement))) replacement.flow = true;
        document.setIn(at, replacement);
      }
      changes.push({ kind: 'catalog-field', category: found.category, name: found.entry.name, field: key, before, after });
      changed = true;
    }
    return changed ? 'updated' : 'unchanged';
  }
  if (isSeq(document.getIn(['integrations_catalog', category]))) {
    blockStyle(document.getIn(['integrations_catalog', category]));
    appendItem(document, ['integrations_catalog', category], entry);
  } else {
    document.setIn(['integrations_catalog', category], document.createNode([entry]));
  }
  changes.push({ kind: 'catalog-added', category, name: entry.name, entry });
  return 'added';
}

/**
 * A list of plain values a person may have extended (env vars, files) keeps their items and
 * gains the run's new ones; anything else takes the run's value.
 */
function mergedValue(before: unknown, after: unknown): unknown {
  const scalars = (value: unknown): value is Array<string | number | boolean> =>
    Array.isArray(value) && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item));
  if (scalars(before) && scalars(after)) return [...before, ...after.filter((item) => !before.includes(item))];
  return after;
}

/** `last_updated` as text, whether YAML gave a string or a Date. */
export function dateText(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

/** Appends to a list, with a blank line before it when the list's items are spaced that way. */
function appendItem(document: Document, at: unknown[], value: unknown): void {
  const seq = document.getIn(at, true);
  const node = document.createNode(value);
  if (isSeq(seq) && seq.items.length >= 2) {
    const last = seq.items.at(-1);
    if (isNode(last) && last.spaceBefore) node.spaceBefore = true;
  }
  document.addIn(at, node);
}

/**
 * Sets a top-level key where a person would look for it: before `learnings` (AgileFlow keeps
 * them last) or after `version`; at the end when that key is not there.
 */
function insertKey(document: Document, key: string, value: unknown, where: { before: string } | { after: string }): void {
  const root = document.contents;
  if (document.has(key) || !isMap(root)) {
    document.set(key, document.createNode(value));
    return;
  }
  const anchor = 'before' in where ? where.before : where.after;
  const index = root.items.findIndex((pair) => (isNode(pair.key) ? (pair.key as { value?: unknown }).value : pair.key) === anchor);
  const pair = document.createPair(key, value);
  if (index < 0) root.items.push(pair);
  else root.items.splice('before' in where ? index : index + 1, 0, pair);
}

/** An empty `[]` or `{}` a seed wrote grows as a block, not as one long flow line. */
function blockStyle(node: unknown): void {
  if ((isSeq(node) || isMap(node)) && node.flow) node.flow = false;
}
