import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StagingArea } from '../../src/staging/staging-area.js';
import { StagingView, visibleTasks } from '../../src/staging/staging-view.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const area = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-view-'));
  dirs.push(dir);
  return new StagingArea(dir);
};
const by = (task: string) => ({ phase: 'p', task, agent: 'a' });

describe('StagingView: a task sees its own writes and those of the tasks it needs', () => {
  const tasks = [
    { id: 'implement', needs: [] },
    { id: 'persistence', needs: [] },
    { id: 'tests', needs: ['implement', 'persistence'] },
    { id: 'review', needs: ['implement', 'persistence'] },
    { id: 'docs', needs: ['tests', 'review'] },
  ];

  it('resolves needs transitively', () => {
    const visible = visibleTasks(tasks);
    expect([...visible.get('docs')!].sort()).toEqual(['docs', 'implement', 'persistence', 'review', 'tests']);
    expect([...visible.get('review')!].sort()).toEqual(['implement', 'persistence', 'review']);
  });

  it('hides a sibling running at the same time, whatever it has written so far', async () => {
    const staging = area();
    const visible = visibleTasks(tasks);
    await staging.write('src/client.ts', 'client', by('implement'));
    await staging.write('src/__tests__/client.test.ts', 'test', by('tests'));
    const review = new StagingView(staging, visible.get('review')!);
    expect(review.files().map((f) => f.path)).toEqual(['src/client.ts']);
    expect(await review.read('src/__tests__/client.test.ts')).toBeUndefined();
    expect(review.has('src/__tests__/client.test.ts')).toBe(false);
    const docs = new StagingView(staging, visible.get('docs')!);
    expect(docs.files().map((f) => f.path)).toEqual(['src/__tests__/client.test.ts', 'src/client.ts']);
  });

  it('writes and removals go through to the whole run', async () => {
    const staging = area();
    const review = new StagingView(staging, visibleTasks(tasks).get('review')!);
    await review.write('notes/security-review.md', 'ok', by('review'));
    await review.remove('src/old.ts', by('review'));
    expect(staging.notes().map((n) => n.path)).toEqual(['notes/security-review.md']);
    expect(review.isRemoved('src/old.ts')).toBe(true);
    expect(new StagingView(staging, new Set(['tests'])).isRemoved('src/old.ts')).toBe(false);
  });
});
