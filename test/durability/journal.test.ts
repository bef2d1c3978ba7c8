import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { foldJournal } from '../../src/run/resume-fold.js';
import { RunEvent } from '../../src/schema/events.js';
import { JournalWriter } from '../../src/staging/journal.js';
import { readJournalStrict } from '../../src/staging/journal-read.js';
import { offlineEnv } from '../helpers/workspace.js';
import { copyWorkspace, journalEvents, orchestrate, runDirOf, seededTemplate, snapshot } from './harness.js';

const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, turns: 1 };
const at = '2026-11-22T00:00:00.000Z';
const events: RunEvent[] = [
  { type: 'run-start', runId: 'r', at, schemaVersion: 1, workflow: 'w', inputs: {}, model: 'offline', provider: 'offline', banner: 'b', taskCount: 2 },
  { type: 'task-start', runId: 'r', at, phase: 'p', task: 'a', agent: 'x', attempt: 1 },
  { type: 'task-end', runId: 'r', at, phase: 'p', task: 'a', agent: 'x', status: 'done', durationMs: 5, usage, model: 'offline', attempts: 1, result: { summary: 'a done' } },
];
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-journal-'));
  dirs.push(dir);
  return dir;
}
const lines = (list: RunEvent[]) => list.map((e) => `${JSON.stringify(e)}\n`).join('');

function journalIn(dir: string, text: string): string {
  const file = path.join(dir, 'journal.jsonl');
  writeFileSync(file, text);
  return file;
}

describe('reading a journal for a resume', () => {
  it('a last line cut by a crash is left out, and the next append starts on a line of its own', async () => {
    const dir = scratch();
    const file = journalIn(dir, lines(events) + JSON.stringify(events[1]).slice(0, 40));
    const read = await readJournalStrict(file, 'r');
    expect(read.tornTail).toBe(true);
    expect(read.events.map((e) => e.type)).toEqual(['run-start', 'task-start', 'task-end']);
    const writer = new JournalWriter(file, { resume: true });
    writer.append(events[1]!);
    writer.close();
    const again = await readJournalStrict(file, 'r');
    expect(again.tornTail).toBe(false);
    expect(again.events).toHaveLength(4);
  });

  it('any other damage is an error naming the line', async () => {
    const dir = scratch();
    const notJson = journalIn(dir, `${JSON.stringify(events[0])}\n{"type":"task-st\n${JSON.stringify(events[2])}\n`);
    await expect(readJournalStrict(notJson, 'r')).rejects.toMatchObject({ code: 'BAD_JOURNAL', exitCode: 2, message: expect.stringContaining('journal.jsonl:2: not a JSON event') });
    const notEvent = journalIn(dir, `${JSON.stringify(events[0])}\n${JSON.stringify({ type: 'task-end', task: 'a' })}\n`);
    await expect(readJournalStrict(notEvent, 'r')).rejects.toThrow(/journal\.jsonl:2: not a valid event .*discard it with orchestrate discard r/);
  });

  it('an unknown schema version says what to do', async () => {
    const dir = scratch();
    const file = journalIn(dir, lines(events).replace('"schemaVersion":1', '"schemaVersion":7'));
    await expect(readJournalStrict(file, 'r')).rejects.toMatchObject({
      code: 'JOURNAL_VERSION',
      message: expect.stringMatching(/journal\.jsonl:1: journal schema version 7 is not one this orchestrate reads \(1\); resume run r with the orchestrate version that started it, or discard it/),
    });
  });

  it('folds: a done task is kept with its files and learnings; an attempt cut off or cancelled is dropped', () => {
    const fold = foldJournal([
      ...events,
      { type: 'artifact-write', runId: 'r', at, task: 'a', agent: 'x', kind: 'file', path: 'late.ts', sha256: 'x', size: 1 },
      { type: 'task-start', runId: 'r', at, phase: 'p', task: 'b', agent: 'y', attempt: 1 },
      { type: 'artifact-write', runId: 'r', at, task: 'b', agent: 'y', kind: 'file', path: 'b.ts', sha256: 'b', size: 1 },
      { type: 'learning-record', runId: 'r', at, task: 'b', agent: 'y', insight: 'lost', filesAffected: [] },
      // The process died; the resumed session starts b again and finishes it.
      { ...events[0]!, resumed: true } as RunEvent,
      { ...events[2]!, reused: true } as RunEvent,
      { type: 'task-start', runId: 'r', at, phase: 'p', task: 'b', agent: 'y', attempt: 1 },
      { type: 'artifact-write', runId: 'r', at, task: 'b', agent: 'y', kind: 'file', path: 'b2.ts', sha256: 'b2', size: 2 },
      { type: 'learning-record', runId: 'r', at, task: 'b', agent: 'y', insight: 'kept', filesAffected: ['b2.ts'] },
      { ...events[2]!, task: 'b', agent: 'y', result: { summary: 'b done' } } as RunEvent,
    ]);
    expect([...fold.completed.keys()]).toEqual(['a', 'b']);
    expect(fold.completed.get('a')).toMatchObject({ result: { summary: 'a done' }, durationMs: 5, attempts: 1 });
    expect(fold.files.map((f) => [f.path, f.task, f.phase])).toEqual([['b2.ts', 'b', 'p']]);
    expect(fold.learnings).toEqual([{ insight: 'kept', files_affected: ['b2.ts'], agent: 'y', task: 'b' }]);
    expect(fold.sessions).toBe(2);
  });
});

describe('orchestrate resume on a damaged journal (a real child process)', () => {
  it('a cut last line resumes; a damaged line in the middle is exit 2 naming it, and nothing is changed', async () => {
    const template = await seededTemplate();
    dirs.push(template);
    const cut = copyWorkspace(template);
    dirs.push(cut);
    const env = offlineEnv({ NO_COLOR: '1' });
    await orchestrate(['integrate', 'twilio', '--quiet'], cut, { ...env, ORCHESTRATE_CRASH_AT: 'task-end:configure' });
    const runId = path.basename(runDirOf(cut));
    const journal = path.join(runDirOf(cut), 'journal.jsonl');
    appendFileSync(journal, '{"type":"task-start","runId":"');
    const damaged = copyWorkspace(cut);
    dirs.push(damaged);
    const resumed = await orchestrate(['resume', runId, '--quiet'], cut, env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(journalEvents(cut).filter((e) => e.type === 'task-end' && e.reused).map((e) => e.type === 'task-end' && e.task)).toEqual(['research', 'plan', 'configure']);
    expect(snapshot(cut).manifest).toMatchObject({ status: 'complete' });

    const damagedJournal = path.join(runDirOf(damaged), 'journal.jsonl');
    const text = readFileSync(damagedJournal, 'utf8').split('\n');
    text[3] = text[3]!.slice(0, 20);
    writeFileSync(damagedJournal, text.join('\n'));
    const before = readFileSync(path.join(runDirOf(damaged), 'manifest.json'), 'utf8');
    const refused = await orchestrate(['resume', runId], damaged, env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(new RegExp(`^orchestrate: .*journal\\.jsonl:4: not a JSON event .*discard it with orchestrate discard ${runId}`));
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(path.join(runDirOf(damaged), 'manifest.json'), 'utf8')).toBe(before);
  }, 60_000);
});
