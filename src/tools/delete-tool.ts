import { lstat } from 'node:fs/promises';
import { z } from 'zod';
import { assertWritable, PathError, resolveReadPath, toRepoPath } from './paths.js';
import { defineTool } from './tool.js';

/**
 * Stages the removal of a repository file (remove-integration). Like a write, it changes only
 * the run's staging area: `orchestrate apply` removes the file in the commit.
 */
export const deleteFileTool = defineTool({
  name: 'delete_file',
  description:
    "Stage the removal of a repository file for review; `orchestrate apply` removes it in the commit. " +
    'The repository itself is not touched. Only files that exist (or were staged by this run) can be removed.',
  input: z.object({ path: z.string().min(1) }),
  describe: (input) => input.path,
  async run(input, context) {
    const repoPath = toRepoPath(context.workspace, input.path);
    assertWritable(repoPath, context.workspace);
    const staged = context.staging.has(repoPath);
    const onDisk = await lstat(resolveReadPath(context.workspace, repoPath)).then((s) => s.isFile(), () => false);
    if (!staged && !onDisk) throw new PathError(`no file at "${repoPath}" to remove`);
    const { task } = context;
    await context.staging.remove(repoPath, { phase: task.phase, task: task.id, agent: task.agent });
    // In the journal, so a resumed run restores the removal.
    context.emit({ type: 'artifact-remove', runId: context.runId, at: context.at(), task: task.id, agent: task.agent, path: repoPath });
    return onDisk ? `staged the removal of ${repoPath}` : `dropped the staged file ${repoPath}`;
  },
});
