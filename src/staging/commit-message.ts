import type { StagedDeletion, StagedFile } from '../schema/manifest.js';

/** The trailer line that ties a commit to its run; apply looks for it so it never commits twice. */
export function runTrailer(runId: string): string {
  return `Orchestrate-Run: ${runId}`;
}

/**
 * A commit message: the subject (the workflow's kind writes it), then the files grouped by phase
 * and agent, then the run trailer. Written to `COMMIT_MSG`, where a reviewer may edit it before
 * `orchestrate apply`.
 *
 * @example
 * commitMessage('feat(integrations): add twilio integration', 'integrate', runId, files)
 * // feat(integrations): add twilio integration
 * //
 * // implementation (integration-specialist):
 * //   - src/integrations/twilio/client.ts
 */
export function commitMessage(
  subject: string,
  workflow: string,
  runId: string,
  files: readonly StagedFile[],
  deletions: readonly StagedDeletion[] = [],
  /** Phase ids in workflow order: the groups follow it, as a reviewer reads the run. */
  phaseOrder: readonly string[] = [],
): string {
  const groups = new Map<string, string[]>();
  const rank = (phase: string) => (phaseOrder.includes(phase) ? phaseOrder.indexOf(phase) : phaseOrder.length);
  const entries = [...files.map((f) => ({ ...f, line: f.path })), ...deletions.map((d) => ({ ...d, line: `${d.path} (deleted)` }))].sort(
    (a, b) => rank(a.phase) - rank(b.phase),
  );
  for (const entry of entries) {
    const key = `${entry.phase} (${entry.agent})`;
    groups.set(key, [...(groups.get(key) ?? []), entry.line]);
  }
  const body = [...groups].map(([key, lines]) => `${key}:\n${lines.map((line) => `  - ${line}`).join('\n')}`).join('\n\n');
  return `${subject}\n\n${body}\n\nStaged by orchestrate run ${runId} (workflow ${workflow}).\n\n${runTrailer(runId)}\n`;
}

/** A message as apply commits it: the reviewed text, with the run trailer added when missing. */
export function withRunTrailer(message: string, runId: string): string {
  const trailer = runTrailer(runId);
  const text = message.trimEnd();
  return text.split('\n').includes(trailer) ? `${text}\n` : `${text}\n\n${trailer}\n`;
}
