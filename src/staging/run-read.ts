import { readFile } from 'node:fs/promises';
import { yaml } from '../runtime/lazy-modules.js';
import { RunEvent } from '../schema/events.js';
import { RunReport } from '../schema/report.js';
import { runPath } from './run-layout.js';

/**
 * The events of a run's journal, read leniently for display (`show`, the ui): a torn last line (a
 * crash mid-write) or an event this version does not know is skipped. Resume reads strictly
 * (`journal-read.ts`).
 */
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
