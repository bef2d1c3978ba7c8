import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGeneratedTests } from '../../src/tools/run-tests.js';
import { writeTree } from '../helpers/workspace.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function staged(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-staged-'));
  dirs.push(dir);
  writeTree(dir, files);
  return { sourceDir: dir, files: Object.keys(files) };
}

describe('run_tests: the staged tests, really run', () => {
  it('reports the counts vitest saw, the failures by name, and strict type errors', async () => {
    const run = await runGeneratedTests(
      staged({
        'src/math.ts': 'export const add = (a: number, b: number) => a + b;\nexport function first(xs: string[]): string { return xs[0]; }\n',
        'src/__tests__/math.test.ts': [
          "import { expect, it } from 'vitest';",
          "import { add } from '../math.js';",
          "it('adds', () => expect(add(1, 2)).toBe(3));",
          "it('adds wrongly', () => expect(add(1, 2)).toBe(4));",
          "it.skip('skipped', () => {});",
        ].join('\n'),
        'notes/plan.md': '# not code',
      }),
    );
    expect(run).toMatchObject({ ran: true, passed: 1, failed: 1, skipped: 1 });
    expect(run.failures).toEqual([expect.stringMatching(/^adds wrongly: /)]);
    // xs[0] is string | undefined under noUncheckedIndexedAccess: strict mode is really on.
    expect(run.typecheck).toMatchObject({ ok: false, errors: 1 });
    expect(run.typecheck.output).toMatch(/math\.ts.*TS2322/);
  }, 60_000);

  it('strips secrets and proxy settings from the environment the tests see', async () => {
    process.env.ORCHESTRATE_TEST_SECRET_TOKEN = 'leak-me';
    process.env.HTTPS_PROXY = 'http://proxy.invalid:3128';
    try {
      const run = await runGeneratedTests(
        staged({
          'env.test.ts': [
            "import { expect, it } from 'vitest';",
            "it('sees no secrets or proxies', () => {",
            '  expect(process.env.ORCHESTRATE_TEST_SECRET_TOKEN).toBeUndefined();',
            '  expect(process.env.HTTPS_PROXY).toBeUndefined();',
            '  expect(process.env.ANTHROPIC_API_KEY).toBeUndefined();',
            '});',
          ].join('\n'),
        }),
      );
      expect(run).toMatchObject({ ran: true, passed: 1, failed: 0 });
    } finally {
      delete process.env.ORCHESTRATE_TEST_SECRET_TOKEN;
      delete process.env.HTTPS_PROXY;
    }
  }, 60_000);

  it('kills a run that outlives its timeout and says the tests did not finish', async () => {
    const run = await runGeneratedTests({
      ...staged({ 'hang.test.ts': "import { it } from 'vitest';\nit('hangs', () => new Promise(() => {}), 600_000);\n" }),
      timeoutMs: 4000,
    });
    expect(run.ran).toBe(false);
    expect(run.notRun).toMatch(/did not finish within 4000 ms/);
  }, 60_000);

  it('says so when there is nothing to run', async () => {
    const run = await runGeneratedTests(staged({ 'src/a.ts': 'export const a = 1;\n' }));
    expect(run).toMatchObject({ ran: false, notRun: expect.stringMatching(/no test files/) });
  });
});
