import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { chooseForArchive } from '../../src/expertise/archive.js';
import { expertisePath } from '../../src/expertise/load.js';
import { mergeExpertise } from '../../src/expertise/store.js';
import { REPO_ROOT, tempRepo } from '../helpers/workspace.js';

const learning = (n: number, seen: number, date: string) => ({ date, insight: `learning ${n}`, seen });

function workspaceWith(learnings: unknown[]): string {
  return tempRepo({
    'expertise/integrations/expertise.yaml': `# kept\ndomain: integrations\nversion: 1.1\n${stringify({ learnings })}`,
  });
}

const update = (n: number, date = '2026-03-01') => ({
  runId: `run-${n}`,
  date,
  learnings: [{ insight: `new learning ${n}`, files_affected: [], agent: 'a', task: 't' }],
});

describe('archiving learnings past the size bound', () => {
  it('chooses the least seen first, then the oldest, and what was touched today last', () => {
    const chosen = chooseForArchive(
      [learning(0, 3, '2025-01-01'), learning(1, 1, '2025-06-01'), learning(2, 1, '2025-02-01'), learning(3, 1, '2026-03-01'), learning(4, 2, '2024-01-01')],
      4,
      '2026-03-01',
    );
    expect(chosen).toEqual([2, 1, 4, 0]);
    expect(chooseForArchive([learning(0, 1, '2026-03-01'), learning(1, 5, '2025-01-01')], 2, '2026-03-01')).toEqual([1, 0]);
  });

  it("a day's learnings alone past the bound are archived too: the live file stays within it", async () => {
    const cwd = workspaceWith([]);
    const many = { ...update(1), learnings: Array.from({ length: 30 }, (_, n) => ({ insight: `today's learning number ${n}`, files_affected: [], agent: 'a', task: 't' })) };
    const result = await mergeExpertise(cwd, REPO_ROOT, 'integrations', many, { archive: { maxLearnings: 10, maxBytes: 1 << 20 } });
    expect(result.archived).toBe(30 - 8);
    expect(parse(readFileSync(expertisePath(cwd, 'integrations'), 'utf8')).learnings).toHaveLength(8);
  });

  it('moves the oldest, least-seen learnings to archive.yaml; nothing is deleted', async () => {
    const original = Array.from({ length: 10 }, (_, n) => learning(n, n % 3 === 0 ? 5 : 1, `2025-01-${String(n + 10)}`));
    const cwd = workspaceWith(original);
    const result = await mergeExpertise(cwd, REPO_ROOT, 'integrations', update(1), { archive: { maxLearnings: 10, maxBytes: 1 << 20 } });
    expect(result.archived).toBe(11 - 8);
    expect(result.changes).toContainEqual({ kind: 'learnings-archived', count: 3, archive: 'expertise/integrations/archive.yaml' });

    const live = parse(readFileSync(expertisePath(cwd, 'integrations'), 'utf8')).learnings;
    const archived = parse(readFileSync(path.join(cwd, 'expertise/integrations/archive.yaml'), 'utf8')).learnings;
    expect(live).toHaveLength(8);
    expect(archived.map((l: { insight: string }) => l.insight)).toEqual(['learning 1', 'learning 2', 'learning 4']);
    expect(archived.every((l: { archived_on: string }) => l.archived_on === '2026-03-01')).toBe(true);
    const all = [...live, ...archived].map((l: { insight: string }) => l.insight).sort();
    expect(all).toEqual([...original.map((l) => l.insight), 'new learning 1'].sort());
    expect(readFileSync(expertisePath(cwd, 'integrations'), 'utf8')).toMatch(/^# kept/);
  });

  it('archives by size too, and appends to an archive a person edited without losing their notes', async () => {
    const big = Array.from({ length: 30 }, (_, n) => ({ ...learning(n, 1, '2025-05-05'), context: 'x'.repeat(200) }));
    const cwd = workspaceWith(big);
    const archiveFile = path.join(cwd, 'expertise/integrations/archive.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(archiveFile, '# my notes on the archive\ndomain: integrations\nversion: 1.1\nlearnings:\n  - date: 2020-01-01\n    insight: ancient\n');
    const result = await mergeExpertise(cwd, REPO_ROOT, 'integrations', update(2), { archive: { maxLearnings: 100, maxBytes: 4000 } });
    expect(result.archived).toBeGreaterThan(0);
    expect(Buffer.byteLength(readFileSync(expertisePath(cwd, 'integrations'), 'utf8'))).toBeLessThanOrEqual(4000);
    const archiveText = readFileSync(archiveFile, 'utf8');
    expect(archiveText).toMatch(/^# my notes on the archive/);
    expect(parse(archiveText).learnings[0].insight).toBe('ancient');
    expect(parse(archiveText).learnings).toHaveLength(1 + result.archived);
  });

  it('the same learning archived again later adds up its seen count instead of a copy', async () => {
    const cwd = workspaceWith([learning(0, 2, '2025-01-01'), learning(1, 1, '2025-01-02')]);
    const bound = { archive: { maxLearnings: 1, maxBytes: 1 << 20 } };
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', update(1), bound);
    // Learned again later, then archived again.
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', { ...update(2, '2026-04-01'), learnings: [{ insight: 'Learning 0!', files_affected: [], agent: 'a', task: 't' }] }, bound);
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', update(3, '2026-05-01'), bound);
    const archived = parse(readFileSync(path.join(cwd, 'expertise/integrations/archive.yaml'), 'utf8')).learnings;
    const zero = archived.filter((l: { insight: string }) => l.insight === 'learning 0');
    expect(zero).toEqual([expect.objectContaining({ seen: 3, date: '2026-04-01' })]);
  });
});
