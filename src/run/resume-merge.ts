import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expertisePath } from '../expertise/load.js';
import type { ExpertiseUpdate } from '../expertise/merge.js';
import { mergeExpertise, type MergeResult } from '../expertise/store.js';
import { crashPoint } from '../runtime/crash-point.js';
import type { RunEvent, RunEventOf } from '../schema/events.js';

export interface MergeOnceArgs {
  workspace: string;
  packageRoot: string;
  domain: string;
  update: ExpertiseUpdate;
  /** What the journal holds of this domain's merge, when the run is resumed. */
  recorded?: { intent?: RunEventOf<'expertise-merge'>; done?: RunEventOf<'expertise-merge'> } | undefined;
  emit: (event: RunEvent) => void;
  at: () => string;
  /** Keeps the text before and after the merge (for apply), before the file is replaced. */
  snapshot?: (before: string | undefined, after: string) => Promise<void>;
}

/**
 * Merges a run's learnings and catalog entry into one domain's expertise exactly once, however
 * often the run is interrupted and resumed (a learning never gets an extra `seen`):
 * - under the merge lock, just before expertise.yaml is replaced, an `expertise-merge` intent
 *   carrying the sha256 of the new text is made durable in the journal; after the rename, `done`;
 * - on resume, `done` means skip; an intent means the rename may have happened: the file holding
 *   that exact text (or an entry stamped with this run's id, should another run have merged on
 *   top since) means it did, so it is recorded `done` and skipped; otherwise the merge runs again.
 * A merge found done returns what the journal recorded, so the report and change record are the
 * same as an uninterrupted run's.
 */
export async function mergeExpertiseOnce(args: MergeOnceArgs): Promise<MergeResult> {
  const { workspace, domain, update, emit, at } = args;
  const file = expertisePath(workspace, domain);
  const recorded = args.recorded?.done ?? (args.recorded?.intent && (await applied(file, args.recorded.intent, update.runId)) ? args.recorded.intent : undefined);
  if (recorded) {
    if (!args.recorded?.done) emit({ ...recorded, at: at(), stage: 'done' });
    return resultOf(workspace, recorded);
  }
  let intent: RunEventOf<'expertise-merge'> | undefined;
  const result = await mergeExpertise(workspace, args.packageRoot, domain, update, {
    onStep: (step) => crashPoint(`expertise:merge:${step}`),
    beforeWrite: async (text, merged, before) => {
      await args.snapshot?.(before, text);
      intent = {
        type: 'expertise-merge',
        runId: update.runId,
        at: at(),
        domain,
        stage: 'intent',
        sha256: sha256(text),
        file: path.relative(workspace, file),
        catalog: merged.catalog,
        learningsAdded: merged.learningsAdded,
        learningsReinforced: merged.learningsReinforced,
        archived: merged.archived,
        changes: merged.changes,
      };
      emit(intent);
    },
  });
  crashPoint('expertise:merge:renamed');
  if (intent) emit({ ...intent, at: at(), stage: 'done' });
  return result;
}

/** Whether the merge an intent describes reached expertise.yaml before the process died. */
async function applied(file: string, intent: RunEventOf<'expertise-merge'>, runId: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  if (sha256(text) === intent.sha256) return true;
  const escaped = runId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*-?\\s*(run_id|last_run):\\s*["']?${escaped}["']?\\s*$`, 'm').test(text);
}

function resultOf(workspace: string, event: RunEventOf<'expertise-merge'>): MergeResult {
  return {
    file: path.resolve(workspace, event.file),
    catalog: event.catalog,
    learningsAdded: event.learningsAdded,
    learningsReinforced: event.learningsReinforced,
    archived: event.archived,
    changes: event.changes,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
