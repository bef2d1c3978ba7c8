import type { StagedFile } from '../schema/manifest.js';

/** A conventional commit message: subject, then the files grouped by phase and agent. */
export function commitMessage(workflow: string, inputs: Record<string, unknown>, runId: string, files: readonly StagedFile[]): string {
  const service = typeof inputs.service === 'string' ? inputs.service : undefined;
  const subject = service ? `feat(integrations): add ${service} integration` : `chore(${workflow}): apply run ${runId}`;
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = `${file.phase} (${file.agent})`;
    groups.set(key, [...(groups.get(key) ?? []), file.path]);
  }
  const body = [...groups].map(([key, paths]) => `${key}:\n${paths.map((p) => `  - ${p}`).join('\n')}`).join('\n\n');
  return `${subject}\n\n${body}\n\nStaged by orchestrate run ${runId} (workflow ${workflow}).\n`;
}
