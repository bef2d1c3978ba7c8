import path from 'node:path';
import type { Learning } from '../schema/expertise.js';
import type { DomainCheck } from './inspect.js';
import { dateText } from './merge.js';

// Apart from inspect.ts: this formats a check already made, so the package entry exports it
// without loading the checking (the archive, the staleness scan).

/** A short, readable summary of one domain's expertise for `orchestrate expertise show`. */
export function describeExpertise(check: DomainCheck, workspace: string, maxLearnings = 15): string {
  const data = check.loaded!.data;
  const learnings = data.learnings ?? [];
  const out = [
    `${path.relative(workspace, check.file)}: domain ${data.domain}, version ${String(data.version)}, last updated ${data.last_updated ? dateText(data.last_updated) : 'never'}`,
    `${learnings.length} learnings (${check.archived} archived), ${count(data.conventions)} conventions, ${count(data.patterns)} patterns`,
  ];
  const catalog = Object.entries(data.integrations_catalog ?? {});
  out.push('', 'Integrations catalog:');
  if (catalog.length === 0) out.push('- (empty)');
  for (const [category, entries] of catalog) {
    for (const entry of entries ?? []) {
      const envVars = Array.isArray(entry.env_vars) ? entry.env_vars.join(', ') : '';
      out.push(`- ${category}/${entry.name}${envVars ? `: ${envVars}` : ''}${entry.webhooks === true ? ', webhooks' : ''}${typeof entry.last_run === 'string' ? ` (last run ${entry.last_run})` : ''}`);
    }
  }
  out.push('', `Learnings${learnings.length > maxLearnings ? ` (the ${maxLearnings} most seen)` : ''}:`);
  if (learnings.length === 0) out.push('- (none yet)');
  for (const learning of topLearnings(learnings, maxLearnings)) {
    out.push(`- [seen ${learning.seen ?? 1}, ${dateText(learning.date)}${learning.service ? `, ${learning.service}` : ''}] ${learning.insight}`);
  }
  if (check.stale.length) out.push('', `Stale: ${check.stale.length} paths no longer in the repository (see orchestrate expertise validate)`);
  return out.join('\n');
}

function count(section: unknown): number {
  return Array.isArray(section) ? section.length : 0;
}

function topLearnings(learnings: readonly Learning[], max: number): Learning[] {
  return [...learnings]
    .sort((a, b) => (b.seen ?? 1) - (a.seen ?? 1) || dateText(b.date).localeCompare(dateText(a.date)))
    .slice(0, max);
}
