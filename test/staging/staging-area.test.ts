import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StagingArea } from '../../src/staging/staging-area.js';

const by = { phase: 'implementation', task: 'implement', agent: 'integration-specialist' };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const area = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-staging-'));
  dirs.push(dir);
  return new StagingArea(dir);
};

describe('StagingArea.remove', () => {
  it('stages a deletion with its provenance', async () => {
    const staging = area();
    const deletion = await staging.remove('src/old.ts', by);
    expect(deletion).toEqual({ path: 'src/old.ts', ...by });
    expect(staging.deletions()).toEqual([deletion]);
    expect(staging.files()).toEqual([]);
    expect(staging.isRemoved('src/old.ts')).toBe(true);
  });

  it('drops a staged write of the same path, file included, and a later write undoes the deletion', async () => {
    const staging = area();
    await staging.write('src/a.ts', 'export {};\n', by);
    expect(existsSync(path.join(staging.filesDir, 'src/a.ts'))).toBe(true);

    await staging.remove('src/a.ts', by);
    expect(staging.files()).toEqual([]);
    expect(existsSync(path.join(staging.filesDir, 'src/a.ts'))).toBe(false);

    await staging.write('src/a.ts', 'export const a = 1;\n', by);
    expect(staging.deletions()).toEqual([]);
    expect(staging.files().map((f) => f.path)).toEqual(['src/a.ts']);
  });

  it('for a note only drops the note: notes are never in the repository', async () => {
    const staging = area();
    await staging.write('notes/plan.md', '# plan\n', by);
    await expect(staging.remove('notes/plan.md', by)).resolves.toBeUndefined();
    expect(staging.notes()).toEqual([]);
    expect(staging.deletions()).toEqual([]);
  });
});
