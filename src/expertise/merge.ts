import { isMap, isSeq, type Document } from 'yaml';
import type { ExpertiseFile, Learning } from '../schema/expertise.js';
import { findCatalogEntry } from './catalog.js';

/** A learning as the engine hands it to the merge: the agent's words plus provenance. */
export interface LearningUpdate {
  insight: string;
  context?: string;
  files_affected: string[];
  agent: string;
  task: string;
}

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
}

/** Case, whitespace and punctuation do not make a learning new. */
export function normaliseInsight(insight: string): string {
  return insight.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Applies a run's catalog entry and learnings to an expertise document in place, through the
 * yaml Document API so comments, key order and untouched formatting survive.
 */
export function applyExpertiseUpdate(document: Document, data: ExpertiseFile, update: ExpertiseUpdate): MergeSummary {
  const summary: MergeSummary = { catalog: 'unchanged', learningsAdded: 0, learningsReinforced: 0 };
  if (update.catalog) summary.catalog = mergeCatalogEntry(document, data, update.catalog);

  if (!isSeq(document.get('learnings'))) document.set('learnings', document.createNode([]));
  blockStyle(document.get('learnings'));
  const known: Learning[] = [...(data.learnings ?? [])];
  for (const learning of update.learnings) {
    const key = normaliseInsight(learning.insight);
    const index = known.findIndex((k) => normaliseInsight(k.insight) === key && (k.service ?? undefined) === update.service);
    if (index >= 0) {
      const seen = (known[index]!.seen ?? 1) + 1;
      known[index] = { ...known[index]!, seen, date: update.date };
      document.setIn(['learnings', index, 'seen'], seen);
      document.setIn(['learnings', index, 'date'], update.date);
      summary.learningsReinforced++;
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
      seen: 1,
    };
    known.push(entry);
    document.addIn(['learnings'], document.createNode(entry));
    summary.learningsAdded++;
  }
  document.set('last_updated', update.date);
  return summary;
}

function mergeCatalogEntry(
  document: Document,
  data: ExpertiseFile,
  { category, entry }: NonNullable<ExpertiseUpdate['catalog']>,
): MergeSummary['catalog'] {
  if (!isMap(document.get('integrations_catalog'))) document.set('integrations_catalog', document.createNode({}));
  blockStyle(document.get('integrations_catalog'));
  const found = findCatalogEntry(data, entry.name);
  if (found) {
    const index = (data.integrations_catalog![found.category] ?? []).indexOf(found.entry);
    let changed = false;
    for (const [key, value] of Object.entries(entry)) {
      if (JSON.stringify(found.entry[key]) === JSON.stringify(value)) continue;
      document.setIn(['integrations_catalog', found.category, index, key], document.createNode(value));
      changed = true;
    }
    return changed ? 'updated' : 'unchanged';
  }
  if (isSeq(document.getIn(['integrations_catalog', category]))) {
    blockStyle(document.getIn(['integrations_catalog', category]));
    document.addIn(['integrations_catalog', category], document.createNode(entry));
  } else {
    document.setIn(['integrations_catalog', category], document.createNode([entry]));
  }
  return 'added';
}

/** An empty `[]` or `{}` a seed wrote grows as a block, not as one long flow line. */
function blockStyle(node: unknown): void {
  if ((isSeq(node) || isMap(node)) && node.flow) node.flow = false;
}
