import type { StagedDeletion, StagedFile } from '../../schema/manifest.js';

/** The conventional commit subject of an integration run: what the workflow did to the service. */
export function integrationCommitSubject(service: string | undefined, change: { workflow: string; runId: string; files: readonly StagedFile[]; deletions: readonly StagedDeletion[] }): string {
  const { workflow, runId } = change;
  if (!service) return `chore(${workflow}): apply run ${runId}`;
  if (workflow === 'remove-integration' || (change.deletions.length > 0 && change.files.length === 0)) return `refactor(integrations): remove ${service} integration`;
  if (workflow === 'update-integration') return `refactor(integrations): update ${service} integration`;
  if (workflow === 'test-integration') return `test(integrations): test ${service} integration`;
  if (workflow === 'integrate') return `feat(integrations): add ${service} integration`;
  return `chore(${workflow}): ${workflow} ${service}`;
}
