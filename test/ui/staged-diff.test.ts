import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { tempRepo } from '../helpers/workspace.js';
import { completedRun, git, plant, readManifestJson, writeManifestJson } from '../git/run-fixture.js';

const CONFIG = 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\nexport const d = 4;\nexport const e = 5;\n';

/** The changed lines of a unified diff, without its `---`/`+++` headers. */
const changed = (diff: string) => diff.split('\n').filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));

describe("the page's diff of a staged file is against the run's base commit", () => {
  let server: UiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** GET /api/runs/<id>/diff over real HTTP, as the page asks for it. */
  async function diffOf(repo: string, runId: string, file: string): Promise<{ status: number; text: string }> {
    server ??= await startUiServer({ workspace: repo, env: {}, by: 'test', log: () => {} });
    const url = new URL(server.url);
    const response = await fetch(`${url.origin}/api/runs/${runId}/diff?path=${encodeURIComponent(file)}`, { headers: { 'x-orchestrate-token': url.searchParams.get('token')! } });
    return { status: response.status, text: await response.text() };
  }

  it('shows only the run\'s change when the person committed a change to the same file since', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'src/config.ts': CONFIG });
    const { runId, runDir } = await completedRun(repo);
    plant(runDir, 'src/config.ts', CONFIG.replace('e = 5', 'e = 50'));
    writeFileSync(path.join(repo, 'src/config.ts'), CONFIG.replace('a = 1', 'a = 10'));
    git(repo, 'commit', '-q', '-am', 'a person edits src/config.ts');

    const { status, text } = await diffOf(repo, runId, 'src/config.ts');
    expect(status).toBe(200);
    expect(text).toContain('--- a/src/config.ts\n+++ b/src/config.ts\n');
    expect(changed(text)).toEqual(['-export const e = 5;', '+export const e = 50;']);
  });

  it('shows only the run\'s change when the person left the same file changed and uncommitted', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'src/config.ts': CONFIG });
    const { runId, runDir } = await completedRun(repo);
    plant(runDir, 'src/config.ts', CONFIG.replace('c = 3', 'c = 30'));
    writeFileSync(path.join(repo, 'src/config.ts'), CONFIG.replace('b = 2', 'b = 20').replace('c = 3', 'c = 300'));

    const { text } = await diffOf(repo, runId, 'src/config.ts');
    expect(changed(text)).toEqual(['-export const c = 3;', '+export const c = 30;']);
  });

  it('a file the base does not have is new, even when the person has since made one at that path', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n' });
    const { runId, runDir } = await completedRun(repo);
    plant(runDir, 'src/fresh.ts', 'export const fresh = true;\n');
    mkdirSync(path.join(repo, 'src'), { recursive: true });
    writeFileSync(path.join(repo, 'src/fresh.ts'), 'export const mine = 1;\n');

    const { text } = await diffOf(repo, runId, 'src/fresh.ts');
    expect(text).toContain('--- /dev/null\n+++ b/src/fresh.ts\n');
    expect(changed(text)).toEqual(['+export const fresh = true;']);
  });

  it('a run whose base commit is gone gets one clear error (400), not a diff against something else', async () => {
    const repo = tempRepo({ 'README.md': '# demo\n', 'src/config.ts': CONFIG });
    const { runId, runDir } = await completedRun(repo);
    plant(runDir, 'src/config.ts', CONFIG.replace('e = 5', 'e = 50'));
    writeManifestJson(runDir, { ...readManifestJson(runDir), base: { commit: 'f'.repeat(40), branch: 'main' } });

    const { status, text } = await diffOf(repo, runId, 'src/config.ts');
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'BASE_MISSING', error: expect.stringContaining(`commit ${'f'.repeat(12)}, which is not in this repository any more`) });
  });
});
