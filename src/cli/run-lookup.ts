import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../errors.js';
import { RunEvent } from '../schema/events.js';
import { RunReport } from '../schema/report.js';
import { closest } from './suggest.js';

/** Run ids in the workspace, oldest first (ids sort by time). */
export async function listRunIds(workspace: string): Promise<string[]> {
  const entries = await readdir(path.join(workspace, 'pending-commits'), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/**
 * Finds a run folder by its id, a unique prefix of it, or `last` (the newest run);
 * an unknown id is a user error naming the closest run ids.
 */
export async function findRun(workspace: string, given: string | undefined, command: string): Promise<{ runId: string; dir: string }> {
  if (!given) throw new UserError('MISSING_RUN_ID', `name the run: orchestrate ${command} <run-id> (or "last"; list them with orchestrate runs)`);
  const ids = await listRunIds(workspace);
  if (ids.length === 0) throw new UserError('UNKNOWN_RUN', `no runs in ${path.join(workspace, 'pending-commits')}; start one with orchestrate integrate <service>`);
  const found = given === 'last' || given === 'latest' ? [ids[ids.length - 1]!] : ids.includes(given) ? [given] : ids.filter((id) => id.startsWith(given));
  if (found.length === 1) return { runId: found[0]!, dir: path.join(workspace, 'pending-commits', found[0]!) };
  if (found.length > 1) throw new UserError('AMBIGUOUS_RUN', `"${given}" matches ${found.length} runs (${found.slice(0, 3).join(', ')}${found.length > 3 ? ', ...' : ''}); give more of the id`);
  const close = closest(given, ids) ?? ids.find((id) => id.includes(given));
  throw new UserError('UNKNOWN_RUN', `no run "${given}"${close ? `; did you mean ${close}?` : `; the newest is ${ids[ids.length - 1]}`} (list them with orchestrate runs)`);
}

/** The events of a run's journal; a torn last line (a crash mid-write) is skipped. */
export async function readJournal(dir: string): Promise<RunEvent[]> {
  const text = await readFile(path.join(dir, 'journal.jsonl'), 'utf8').catch(() => '');
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
  const text = await readFile(path.join(dir, 'report.yaml'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = RunReport.safeParse(parse(text));
  return parsed.success ? parsed.data : undefined;
}
