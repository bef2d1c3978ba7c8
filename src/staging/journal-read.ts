import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { JOURNAL_SCHEMA_VERSION, RunEvent } from '../schema/events.js';

/** A journal read for a resume. */
export interface JournalContents {
  events: RunEvent[];
  /** True when the last line was cut short by a crash and was left out. */
  tornTail: boolean;
}

/**
 * Reads `journal.jsonl` strictly, for a resume. A last line without its newline was cut by a
 * crash mid-write: it is left out and the journal is read up to the last whole event. Any other
 * damage (a line that is not JSON, not an event, or of an unknown schema version) is a
 * {@link UserError} naming the file and line, because folding around it could repeat or lose work.
 *
 * @example
 * const { events } = await readJournalStrict('pending-commits/<run-id>/journal.jsonl', '<run-id>');
 */
export async function readJournalStrict(file: string, runId: string): Promise<JournalContents> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const lines = text.split('\n');
  // After the last newline: empty for a whole journal, a torn write otherwise.
  const tail = lines.pop()!;
  const events: RunEvent[] = [];
  const damaged = (line: number, problem: string) =>
    new UserError('BAD_JOURNAL', `${file}:${line}: ${problem}; the journal is damaged, so run ${runId} cannot be resumed safely (discard it with orchestrate discard ${runId} and start again)`);
  lines.forEach((line, index) => {
    const number = index + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw damaged(number, `not a JSON event (${(error as Error).message})`);
    }
    const version = (raw as { type?: unknown; schemaVersion?: unknown } | null)?.type === 'run-start' ? (raw as { schemaVersion?: unknown }).schemaVersion : undefined;
    if (version !== undefined && version !== JOURNAL_SCHEMA_VERSION) {
      throw new UserError(
        'JOURNAL_VERSION',
        `${file}:${number}: journal schema version ${JSON.stringify(version)} is not one this orchestrate reads (${JOURNAL_SCHEMA_VERSION}); resume run ${runId} with the orchestrate version that started it, or discard it with orchestrate discard ${runId}`,
      );
    }
    const parsed = RunEvent.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw damaged(number, `not a valid event (${issue.path.join('.') || 'event'}: ${issue.message})`);
    }
    events.push(parsed.data);
  });
  return { events, tornTail: tail.length > 0 };
}
