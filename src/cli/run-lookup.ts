import { UserError } from '../errors.js';
import { findRunId, runDirOf } from '../api/runs.js';

/**
 * Finds a run folder by its id, a unique prefix of it, or `last` (the newest run), through the
 * one run lookup of the public API; no id at all is a user error saying how to name one.
 */
export async function findRun(workspace: string, given: string | undefined, command: string): Promise<{ runId: string; dir: string }> {
  if (!given) throw new UserError('MISSING_RUN_ID', `name the run: orchestrate ${command} <run-id> (or "last"; list them with orchestrate runs)`);
  const runId = await findRunId(workspace, given);
  return { runId, dir: runDirOf(workspace, runId) };
}
