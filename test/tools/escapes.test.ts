import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagingArea } from '../../src/staging/staging-area.js';
import { editFileTool, writeFileTool } from '../../src/tools/write-tools.js';
import { listFilesTool, readFileTool } from '../../src/tools/read-tools.js';
import { searchTool } from '../../src/tools/search-tool.js';
import type { ToolContext, ToolDefinition } from '../../src/tools/tool.js';
import { plannedTask, tempDir } from '../helpers/loop-harness.js';

/** A workspace with a secret outside it, links pointing out and at protected files, and a staging area. */
function sandbox() {
  const root = tempDir('orchestrate-escape-');
  const workspace = path.join(root, 'repo');
  const outside = path.join(root, 'outside');
  mkdirSync(path.join(workspace, 'src'), { recursive: true });
  mkdirSync(path.join(workspace, '.git'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET outside the workspace\n');
  writeFileSync(path.join(workspace, 'src', 'app.ts'), 'export const app = 1;\n');
  writeFileSync(path.join(workspace, '.env'), 'API_KEY=sk-live-123\n');
  writeFileSync(path.join(workspace, '.git', 'config'), '[remote "origin"]\n  url = https://token@example.com/r.git\n');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'src', 'link-to-secret.txt'));
  symlinkSync(outside, path.join(workspace, 'out'));
  symlinkSync(path.join(workspace, '.env'), path.join(workspace, 'src', 'env-link'));
  symlinkSync(path.join(workspace, '.git'), path.join(workspace, 'docs-git'));
  symlinkSync(path.join(outside, 'missing.txt'), path.join(workspace, 'src', 'dangling.txt'));
  const staging = new StagingArea(path.join(root, 'pending', 'run'));
  const context: ToolContext = {
    workspace,
    staging,
    task: plannedTask(),
    runId: 'run-1',
    emit: () => undefined,
    at: () => '2026-01-01T00:00:00.000Z',
    recordLearning: () => undefined,
    signal: new AbortController().signal,
  };
  const run = <I>(tool: ToolDefinition<I>, input: unknown) => tool.run(tool.input.parse(input), context);
  return { root, workspace, outside, staging, run };
}

describe('path rules on the real, resolved path', () => {
  it.each([
    ['../outside/secret.txt', /outside the workspace/],
    ['src/../../outside/secret.txt', /outside the workspace/],
    ['/etc/passwd', /outside the workspace/],
    ['src/link-to-secret.txt', /outside the workspace \(through a symbolic link\)/],
    ['out/secret.txt', /outside the workspace \(through a symbolic link\)/],
    ['.env', /may hold secrets/],
    ['src/env-link', /may hold secrets/],
    ['.git/config', /may hold secrets/],
    ['docs-git/config', /may hold secrets/],
    ['.GIT/config', /may hold secrets/],
  ])('read_file refuses %s', async (given, message) => {
    const { run } = sandbox();
    await expect(run(readFileTool, { path: given })).rejects.toThrow(message);
  });

  it('read_file reads an absolute path inside the workspace, and a file inside through a link inside', async () => {
    const { run, workspace } = sandbox();
    await expect(run(readFileTool, { path: path.join(workspace, 'src', 'app.ts') })).resolves.toBe('export const app = 1;\n');
  });

  it.each([
    ['../outside/evil.txt', /outside the workspace/],
    ['/tmp/evil.txt', /outside the workspace/],
    ['out/evil.txt', /through a symbolic link/],
    ['src/link-to-secret.txt', /through a symbolic link/],
    ['src/dangling.txt', /symbolic link to nothing/],
    ['.git/hooks/pre-commit', /may not write/],
    ['docs-git/hooks/pre-commit', /may not write ".git\/hooks\/pre-commit"/],
    ['.env', /may not write/],
    ['.env.local', /may not write/],
    ['config/.env', /may not write/],
    ['src/env-link', /may not write ".env"/],
    ['expertise/integrations/expertise.yaml', /may not write/],
    ['Expertise/x.yaml', /may not write/],
    ['pending-commits/run/manifest.json', /may not write/],
    ['C:\\Users\\me\\evil.ts', /is a Windows absolute path/],
    ['c:/Users/me/evil.ts', /is a Windows absolute path/],
    ['\\\\server\\share\\evil.ts', /is a Windows absolute path/],
  ])('write_file refuses %s and writes nothing anywhere', async (given, message) => {
    const { run, outside, staging } = sandbox();
    await expect(run(writeFileTool, { path: given, content: 'pwned' })).rejects.toThrow(message);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(staging.files()).toEqual([]);
    expect(existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('edit_file refuses to edit through a link that points out', async () => {
    const { run, outside } = sandbox();
    await expect(run(editFileTool, { path: 'out/secret.txt', old_string: 'TOP', new_string: 'NOT' })).rejects.toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('write_file stages inside the run folder only; .env.example is allowed; later reads see the staged content', async () => {
    const { run, workspace, staging } = sandbox();
    await run(writeFileTool, { path: 'src/new.ts', content: 'export {};\n' });
    await run(writeFileTool, { path: '.env.example', content: 'API_KEY=\n' });
    expect(staging.files().map((f) => f.path)).toEqual(['.env.example', 'src/new.ts']);
    expect(existsSync(path.join(workspace, 'src', 'new.ts'))).toBe(false);
    expect(existsSync(path.join(staging.filesDir, 'src', 'new.ts'))).toBe(true);
    await expect(run(readFileTool, { path: 'src/new.ts' })).resolves.toBe('export {};\n');
  });

  it('list_files refuses patterns that climb out; search skips what may not be read', async () => {
    const { run } = sandbox();
    await expect(run(listFilesTool, { pattern: '../**' })).rejects.toThrow(/may not contain/);
    await expect(run(listFilesTool, { pattern: '/etc/*' })).rejects.toThrow(/relative/);
    const found = await run(searchTool, { pattern: 'SECRET|sk-live|token@', glob: '**/*' });
    expect(found).toBe('(no matches)');
    expect(await run(searchTool, { pattern: 'app = 1' })).toBe('src/app.ts:1: export const app = 1;');
  });
});
