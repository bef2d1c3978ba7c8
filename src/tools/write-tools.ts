import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type ToolContext } from './tool.js';
import { assertWritable, PathError, resolveReadPath, SecretInPathError, toRepoPath } from './paths.js';

const MAX_WRITE_BYTES = 1024 * 1024;

/**
 * Refuses a path that holds a secret, as the secret scan sees it (paths are scanned like
 * contents): it would be in the manifest, the commit and every listing. The message does not
 * repeat the path.
 */
export async function assertNoSecretInPath(context: ToolContext, repoPath: string): Promise<void> {
  const hits = (await context.scanSecrets?.(repoPath, repoPath)) ?? [];
  if (hits.length) throw new SecretInPathError(hits.map((hit) => hit.replace(/^line \d+: /, '')).join('; '));
}

async function stage(context: ToolContext, repoPath: string, content: string): Promise<string> {
  await assertNoSecretInPath(context, repoPath);
  if (Buffer.byteLength(content) > MAX_WRITE_BYTES) throw new PathError(`content for "${repoPath}" is over ${MAX_WRITE_BYTES} bytes`);
  context.chargeStaged?.(repoPath, Buffer.byteLength(content));
  const { task } = context;
  const entry = await context.staging.write(repoPath, content, { phase: task.phase, task: task.id, agent: task.agent });
  context.emit({
    type: 'artifact-write',
    runId: context.runId,
    at: context.at(),
    task: task.id,
    agent: task.agent,
    kind: entry.kind,
    path: entry.path,
    sha256: entry.sha256,
    size: entry.size,
  });
  const staged = `staged ${entry.kind === 'note' ? 'note' : 'file'} ${repoPath} (${entry.size} bytes)`;
  // Staged all the same (the run records the hit and apply refuses it); the agent can fix it now.
  const hits = (await context.scanSecrets?.(repoPath, content)) ?? [];
  if (!hits.length) return staged;
  return `${staged}. WARNING: the secret scan found ${hits.join('; ')}. orchestrate apply will refuse this run while it is there: rewrite ${repoPath} to read the value from an environment variable instead.`;
}

export const writeFileTool = defineTool({
  name: 'write_file',
  description:
    'Write a whole file into the run\'s staging area for review (never the repository itself). ' +
    'Paths under notes/ are run notes (plans, reviews) and are not committed.',
  input: z.object({ path: z.string().min(1), content: z.string() }),
  describe: (input) => input.path,
  async run(input, context) {
    const repoPath = toRepoPath(context.workspace, input.path);
    assertWritable(repoPath, context.workspace);
    return stage(context, repoPath, input.content);
  },
});

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace one exact occurrence of old_string with new_string in a file; the result is staged.',
  input: z.object({ path: z.string().min(1), old_string: z.string().min(1), new_string: z.string() }),
  describe: (input) => input.path,
  async run(input, context) {
    const repoPath = toRepoPath(context.workspace, input.path);
    assertWritable(repoPath, context.workspace);
    const current =
      (await context.staging.read(repoPath)) ??
      (await readFile(resolveReadPath(context.workspace, repoPath), 'utf8').catch(() => {
        throw new PathError(`no file at "${repoPath}" to edit; use write_file to create it`);
      }));
    const count = current.split(input.old_string).length - 1;
    if (count !== 1) throw new PathError(`old_string occurs ${count} times in "${repoPath}"; it must occur exactly once`);
    return stage(context, repoPath, current.replace(input.old_string, () => input.new_string));
  },
});
