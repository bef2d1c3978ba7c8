import path from 'node:path';
import type { YAMLMap } from 'yaml';
import { yaml } from '../runtime/lazy-modules.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { acquireLock } from './lock.js';
import { parseExpertise, readExpertise } from './load.js';
import { normaliseInsight, YAML_OUTPUT } from './merge.js';
import { readChangeRecord } from './record.js';

/**
 * Takes back the learnings of a discarded run: what it did is not what the team does. The run's
 * change record (expertise-changes.json) says what it added and reinforced; a learning it added is
 * removed, unless a later run saw it too (then its count goes down by this run's sighting), and
 * a learning it reinforced goes back to its count before. Under the expertise lock, written
 * atomically, comments and formatting kept. Returns how many learnings were changed.
 */
export async function withdrawRunLearnings(workspace: string, runDir: string): Promise<number> {
  const record = await readChangeRecord(runDir).catch(() => undefined);
  if (!record) return 0;
  let withdrawn = 0;
  for (const domain of record.domains) {
    const added = domain.changes.flatMap((c) => (c.kind === 'learning-added' ? [normaliseInsight(c.insight)] : []));
    const reinforced = new Map(domain.changes.flatMap((c) => (c.kind === 'learning-reinforced' ? [[normaliseInsight(c.insight), c] as const] : [])));
    if (added.length === 0 && reinforced.size === 0) continue;
    const file = path.resolve(workspace, domain.file);
    const lock = await acquireLock(file);
    try {
      const current = await readExpertise(file);
      const learnings = current?.document.get('learnings', true);
      if (!current || !yaml().isSeq(learnings)) continue;
      let changed = 0;
      for (let index = learnings.items.length - 1; index >= 0; index--) {
        const item = learnings.items[index];
        if (!yaml().isMap(item)) continue;
        const map = item as YAMLMap;
        const insight = normaliseInsight(String(map.get('insight') ?? map.get('learning') ?? ''));
        const seen = Number(map.get('seen') ?? 1);
        if (added.includes(insight) && map.get('run_id') === record.runId) {
          if (seen > 1) map.set('seen', seen - 1);
          else learnings.items.splice(index, 1);
          changed++;
        } else if (reinforced.has(insight) && seen === reinforced.get(insight)!.seenAfter) {
          map.set('seen', reinforced.get(insight)!.seenBefore);
          changed++;
        }
      }
      if (changed === 0) continue;
      const text = current.document.toString(YAML_OUTPUT);
      parseExpertise(text, file);
      await writeFileAtomic(file, text);
      withdrawn += changed;
    } finally {
      await lock.release();
    }
  }
  return withdrawn;
}
