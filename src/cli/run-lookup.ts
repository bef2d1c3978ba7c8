import { readFile } from 'node:fs/promises';
import { yaml } from '../runtime/lazy-modules.js';
import { UserError } from '../errors.js';
import { findRunId, RunEvent, RunReport, runDirOf, runPath } from '../index.js';

/**
 * Finds a run folder by its id, a unique prefix of it, or `last` (the newest run), through the
 * one run lookup of the public API; no id at all is a user error saying how to name one.
 */
export async function findRun(workspace: string, given: string | undefined, command: string): Promise<{ runId: string; dir: string }> {
  if (!given) throw new UserError('MISSING_RUN_ID', `name the run: orchestrate ${command} <run-id> (or "last"; list them with orchestrate runs)`);
  const runId = await findRunId(workspace, given);
  return { runId, dir: runDirOf(workspace, runId) };
}

/** The events of a run's journal; a torn last line (a crash mid-write) is skipped. */
export async function readJournal(dir: string): Promise<RunEvent[]> {
  const text = await readFile(runPath(dir, 'journal'), 'utf8').catch(() => '');
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = RunEvent.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
    } catch {
      // a partial line at the end of a journal whose writer died
    }
  }
  return events;
}

/** The run's report, or undefined when the run has not finished (or the file is unreadable). */
export async function readReport(dir: string): Promise<RunReport | undefined> {
  const text = await readFile(runPath(dir, 'report'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = RunReport.safeParse(yaml().parse(text));
  return parsed.success ? parsed.data : undefined;
}
