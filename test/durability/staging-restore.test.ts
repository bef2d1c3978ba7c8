import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { foldJournal } from '../../src/run/resume-fold.js';
import { restoreStaging } from '../../src/run/resume-staging.js';
import type { RunEvent } from '../../src/schema/events.js';
import { StagingArea } from '../../src/staging/staging-area.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const at = '2026-11-22T00:00:00.000Z';
const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, turns: 0 };

describe('restoring the staging area of a resumed run', () => {
  it('keeps what done tasks staged; removes what an in-flight attempt wrote and the temp file of a cut write', async () => {
    const runDir = mkdtempSync(path.join(tmpdir(), 'orchestrate-restore-'));
    dirs.push(runDir);
    const live = new StagingArea(runDir);
    const provenance = (task: string) => ({ phase: 'p', task, agent: 'x' });
    const kept = await live.write('src/kept.ts', 'export const kept = 1;\n', provenance('a'));
    const note = await live.write('notes/plan.md', '# plan\n', provenance('a'));
    const stray = await live.write('src/only-before-the-crash.ts', 'partial\n', provenance('b'));
    writeFileSync(path.join(live.filesDir, 'src', '.kept.ts.123.abcd.tmp'), 'half');
    const write = (task: string, entry: typeof kept): RunEvent => ({ type: 'artifact-write', runId: 'r', at, task, agent: 'x', kind: entry.kind, path: entry.path, sha256: entry.sha256, size: entry.size });
    const fold = foldJournal([
      { type: 'run-start', runId: 'r', at, workflow: 'w', inputs: {}, model: 'm', provider: 'offline', banner: '', taskCount: 2 },
      { type: 'task-start', runId: 'r', at, phase: 'p', task: 'a', agent: 'x', attempt: 1 },
      { type: 'task-start', runId: 'r', at, phase: 'p', task: 'b', agent: 'x', attempt: 1 },
      write('a', kept),
      write('a', note),
      write('b', stray),
      { type: 'task-end', runId: 'r', at, phase: 'p', task: 'a', agent: 'x', status: 'done', durationMs: 1, usage, model: 'm', result: {} },
    ]);

    const resumed = new StagingArea(runDir);
    const report = await restoreStaging(resumed, fold);
    expect(resumed.files().map((f) => f.path)).toEqual(['src/kept.ts']);
    expect(resumed.notes().map((f) => f.path)).toEqual(['notes/plan.md']);
    expect(resumed.has('src/only-before-the-crash.ts')).toBe(false);
    expect(existsSync(path.join(runDir, 'files/node_modules', 'src', 'only-before-the-crash.ts'))).toBe(false);
    expect(readdirSync(path.join(runDir, 'files/node_modules', 'src'))).toEqual(['kept.ts']);
    expect(report.removed.map((f) => path.basename(f)).sort()).toEqual(['.kept.ts.123.abcd.tmp', 'only-before-the-crash.ts']);
    expect(report.changed).toEqual([]);
  });
});
