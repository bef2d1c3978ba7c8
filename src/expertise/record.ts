import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { yaml } from '../runtime/lazy-modules.js';
import { UserError, ValidationError } from '../errors.js';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { ExpertiseChangeRecord, type ExpertiseChange } from '../schema/expertise.js';
import { zodProblems } from '../schema/problems.js';
import { RUN_LAYOUT } from '../staging/run-layout.js';

/** The file in a run folder that says what the run changed in the expertise. */
export const CHANGE_RECORD = RUN_LAYOUT.expertiseChanges;

/** Writes what a run changed, so `orchestrate expertise diff <run-id>` can show it later. */
export async function writeChangeRecord(runDir: string, record: ExpertiseChangeRecord): Promise<void> {
  await writeFileAtomic(path.join(runDir, CHANGE_RECORD), `${JSON.stringify(ExpertiseChangeRecord.parse(record), null, 2)}\n`);
}

/** Reads a run's change record; undefined when the run made no merge (it failed first, or predates records). */
export async function readChangeRecord(runDir: string): Promise<ExpertiseChangeRecord | undefined> {
  const file = path.join(runDir, CHANGE_RECORD);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError('BAD_CHANGE_RECORD', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = ExpertiseChangeRecord.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodProblems(file, parsed.error));
  return parsed.data;
}

/** A run's changes as text, one line per change, like a short diff. */
export function renderChangeRecord(record: ExpertiseChangeRecord): string {
  const out: string[] = [`Expertise changed by run ${record.runId}:`];
  for (const domain of record.domains) {
    out.push('', `${domain.file} (merged ${domain.mergedAt}):`);
    if (domain.changes.length === 0) out.push('  (no change)');
    for (const change of domain.changes) out.push(`  ${renderChange(change)}`);
  }
  return out.join('\n');
}

const short = (value: unknown) => (value === undefined ? '(none)' : yaml().stringify(value, { lineWidth: 0, collectionStyle: 'flow' }).trim());
const quote = (text: string) => `"${text.length > 100 ? `${text.slice(0, 97)}...` : text}"`;

function renderChange(change: ExpertiseChange): string {
  switch (change.kind) {
    case 'catalog-added':
      return `+ integrations_catalog.${change.category}: ${change.name} ${short(change.entry)}`;
    case 'catalog-field':
      return `~ integrations_catalog.${change.category}.${change.name}.${change.field}: ${short(change.before)} -> ${short(change.after)}`;
    case 'learning-added':
      return `+ learning ${quote(change.insight)} (${change.agent}, task ${change.task})`;
    case 'learning-reinforced':
      return `~ learning ${quote(change.insight)}: seen ${change.seenBefore} -> ${change.seenAfter}`;
    case 'learnings-archived':
      return `> ${change.count} older, less-seen learnings moved to ${change.archive}`;
    case 'last-updated':
      return `~ last_updated: ${change.before ?? '(none)'} -> ${change.after}`;
  }
}


/** Records one domain's merge for the run's change record. */
export function domainChanges(workspace: string, domain: string, file: string, mergedAt: string, changes: ExpertiseChange[]): ExpertiseChangeRecord['domains'][number] {
  return { domain, file: path.relative(workspace, file), mergedAt, changes };
}
