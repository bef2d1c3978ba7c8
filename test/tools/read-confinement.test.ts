import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagingArea } from '../../src/staging/staging-area.js';
import { listFilesTool, readFileTool } from '../../src/tools/read-tools.js';
import { searchTool } from '../../src/tools/search-tool.js';
import type { ToolContext, ToolDefinition } from '../../src/tools/tool.js';
import { plannedTask, tempDir } from '../helpers/loop-harness.js';

/** A workspace with another run's folder, the expertise file, and a secret beside the workspace. */
function workspace(signal = new AbortController().signal) {
  const root = tempDir('orchestrate-confine-');
  const ws = path.join(root, 'repo');
  const files: Record<string, string> = {
    'src/app.ts': 'export const app = 1;\n',
    'pending-commits/20260101-other-run/files/src/other.ts': 'export const otherRunMarker = 1;\n',
    'pending-commits/20260101-other-run/report.yaml': 'summary: otherRunMarker\n',
    'expertise/integrations/expertise.yaml': 'learnings:\n  - insight: otherRunMarker internals\n',
    'Expertise/x.yaml': 'otherRunMarker\n',
    '../beside.txt': 'otherRunMarker beside the workspace\n',
    'src/long.txt': `${'a'.repeat(50_000)}b\n`,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, file)), { recursive: true });
    writeFileSync(path.join(ws, file), text);
  }
  const context: ToolContext = {
    workspace: ws,
    staging: new StagingArea(path.join(root, 'staging')),
    task: plannedTask(),
    runId: 'run-1',
    emit: () => undefined,
    at: () => '2026-01-01T00:00:00.000Z',
    recordLearning: () => undefined,
    signal,
  };
  return <I>(tool: ToolDefinition<I>, input: unknown) => tool.run(tool.input.parse(input), context);
}

describe('read tools see the workspace and nothing of the engine', () => {
  it.each([
    'pending-commits/20260101-other-run/files/src/other.ts',
    'pending-commits/20260101-other-run/report.yaml',
    'expertise/integrations/expertise.yaml',
    'Expertise/x.yaml',
  ])('read_file refuses %s', async (file) => {
    await expect(workspace()(readFileTool, { path: file })).rejects.toThrow(/not for agents to read/);
  });

  it('search and list_files find nothing of other runs or expertise, and refuse globs that climb out', async () => {
    const run = workspace();
    expect(await run(searchTool, { pattern: 'otherRunMarker' })).toBe('(no matches)');
    expect(await run(listFilesTool, { pattern: '**/*' })).not.toMatch(/pending-commits|expertise\//);
    for (const glob of ['../*', '../**/*', '{..,src}/*', 'src/../../*', '/etc/*', 'C:/x/*']) {
      await expect(run(searchTool, { pattern: 'otherRunMarker', glob })).rejects.toThrow(/may not contain \.\./);
      await expect(run(listFilesTool, { pattern: glob })).rejects.toThrow(/may not contain \.\./);
    }
  });

  it('a catastrophic pattern such as (a+)+$ on a long line returns: the engine is linear-time RE2', async () => {
    const run = workspace();
    expect(await run(searchTool, { pattern: '(a+)+$', glob: 'src/long.txt' })).toBe('(no matches)');
    expect(await run(searchTool, { pattern: '(a|aa)+c', glob: 'src/*' })).toBe('(no matches)');
    expect(await run(searchTool, { pattern: 'a{3}b$', glob: 'src/*' })).toMatch(/^src\/long\.txt:1: a{200}$/);
  });

  it('refuses what RE2 cannot do, with the reason, and stops when the task is cancelled', async () => {
    await expect(workspace()(searchTool, { pattern: '(?=app)' })).rejects.toThrow(/RE2 syntax/);
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    await expect(workspace(controller.signal)(searchTool, { pattern: 'app' })).rejects.toThrow(/interrupted/);
  });
});
