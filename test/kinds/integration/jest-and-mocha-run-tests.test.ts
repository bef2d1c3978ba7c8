import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { applyRun } from '../../../src/git/apply-run.js';
import { runWorkflow } from '../../../src/index.js';
import { stagedPath } from '../../../src/staging/run-layout.js';
import { itNeeding } from '../../helpers/needs.js';
import { testRepository } from '../../helpers/test-repository.js';
import { REPO_ROOT, tempRepo } from '../../helpers/workspace.js';

/**
 * `integrate stripe` offline on a jest repository and on a mocha repository, created here with
 * the runner installed (orchestrate's node_modules linked in): the testing agent's run_tests ran
 * the generated tests under the repository's own runner in the sandbox, and the report has the
 * runner's counts. After apply, the repository's own test command passes too.
 */

function withModules(files: Record<string, string>): string {
  const cwd = tempRepo(files);
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
  return cwd;
}

const total = 'function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}\n';

async function integrate(cwd: string) {
  const run = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, approve: 'auto', runtime: { env: {} } });
  expect(run.status).toBe('complete');
  const testRun = readFileSync(path.join(run.runDir, 'notes', 'test-run.md'), 'utf8');
  return { run, testing: run.report.integration?.testing, testRun };
}

async function apply(cwd: string, runId: string) {
  const applied = await applyRun({ workspace: cwd, runId });
  expect(applied.outcome).toBe('applied');
  execFileSync('git', ['checkout', '-q', applied.branch], { cwd });
}

describe('integrate stripe on jest and mocha repositories: the generated tests run under the repository runner', () => {
  itNeeding(['bwrap'], 'jest (CommonJS JavaScript): tests for jest are generated, run_tests ran them under jest, all passed; its own jest passes after apply', async () => {
    const cwd = withModules({
      'package.json': `${JSON.stringify({ name: 'shop-jest', version: '1.0.0', main: 'lib/index.js', scripts: { test: 'jest' }, devDependencies: { jest: '^30.0.0' } }, null, 2)}\n`,
      '.gitignore': 'node_modules\n',
      'lib/index.js': `'use strict';\n${total}module.exports = { total };\n`,
      'test/index.test.js': "'use strict';\nconst { total } = require('../lib/index.js');\ntest('totals', () => expect(total([{ price: 2 }, { price: 3 }])).toBe(5));\n",
    });
    const { run, testing, testRun } = await integrate(cwd);
    const tests = run.stagedFiles.map((f) => f.path).filter((file) => file.endsWith('.test.js'));
    expect(tests).toEqual(expect.arrayContaining(['lib/integrations/__tests__/StripeClient.test.js', 'lib/integrations/__tests__/StripeWebhookHandler.test.js']));
    expect(readFileSync(stagedPath(run.runDir, tests[0]!), 'utf8')).toContain("require('@jest/globals')");
    expect(testing).toMatchObject({ ran: true, failed: 0 });
    expect(testing?.passed).toBeGreaterThan(10);
    expect(testRun).toMatch(/^- jest: \d+ passed, 0 failed/m);

    await apply(cwd, run.runId);
    const own = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--no-watchman'], { cwd, encoding: 'utf8' });
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.stderr).toMatch(new RegExp(`Tests:\\s+${(testing?.passed ?? 0) + 1} passed`));
  }, 600_000);

  itNeeding(['bwrap'], 'mocha (ESM JavaScript, a .mocharc with its spec): run_tests ran the generated tests under mocha, all passed; its own mocha passes after apply', async () => {
    const cwd = withModules({
      'package.json': `${JSON.stringify({ name: 'shop-mocha', version: '1.0.0', type: 'module', scripts: { test: 'mocha' }, devDependencies: { mocha: '^11.0.0', expect: '^30.0.0' } }, null, 2)}\n`,
      '.mocharc.json': '{ "spec": ["test/**/*.test.js", "src/**/*.test.js"] }\n',
      '.gitignore': 'node_modules\n',
      'src/index.js': `export ${total}`,
      'test/index.test.js': "import { expect } from 'expect';\nimport { total } from '../src/index.js';\ndescribe('total', () => it('totals', () => expect(total([{ price: 2 }, { price: 3 }])).toBe(5)));\n",
    });
    const { run, testing, testRun } = await integrate(cwd);
    const tests = run.stagedFiles.map((f) => f.path).filter((file) => file.endsWith('.test.js'));
    expect(tests).toEqual(expect.arrayContaining(['src/integrations/__tests__/StripeClient.test.js', 'src/integrations/__tests__/StripeWebhookHandler.test.js']));
    expect(readFileSync(stagedPath(run.runDir, tests[0]!), 'utf8')).toMatch(/^import \{ expect \} from 'expect';$/m);
    expect(testing).toMatchObject({ ran: true, failed: 0 });
    expect(testing?.passed).toBeGreaterThan(10);
    expect(testRun).toMatch(/^- mocha: \d+ passed, 0 failed/m);

    await apply(cwd, run.runId);
    const own = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/mocha/bin/mocha.js')], { cwd, encoding: 'utf8' });
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.stdout).toMatch(new RegExp(`${(testing?.passed ?? 0) + 1} passing`));
  }, 600_000);

  itNeeding(['bwrap'], "mocha (TypeScript ESM, no loader installed): orchestrate's loader ran the tests, the typecheck under its tsconfig passed, all passed", async () => {
    const cwd = testRepository(
      {
        'package.json': `${JSON.stringify({ name: 'shop-mocha-ts', type: 'module', scripts: { test: 'mocha' }, devDependencies: { mocha: '^11.0.0', expect: '^30.0.0', '@types/mocha': '^10.0.0', typescript: '^5.9.0' } }, null, 2)}\n`,
        'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true } }),
        'src/index.ts': 'export const total = (prices: number[]): number => prices.reduce((sum, price) => sum + price, 0);\n',
      },
      ['mocha', 'expect', '@types/mocha', '@types/node', 'typescript', 'zod'],
    );
    const { testing, testRun } = await integrate(cwd);
    expect(testing).toMatchObject({ ran: true, failed: 0 });
    expect(testing?.passed).toBeGreaterThan(10);
    expect(testRun).toMatch(/^- typecheck under the repository's tsconfig\.json passed$/m);
    expect(testRun).toMatch(/^- mocha: \d+ passed, 0 failed/m);
    expect(testRun).toMatch(/^- TypeScript ran with orchestrate's sucrase loader: the repository has no TypeScript loader installed/m);
  }, 600_000);

  itNeeding(['bwrap'], 'jest (TypeScript CommonJS with ts-jest): run_tests ran the tests through ts-jest, all passed; its own jest passes after apply', async () => {
    const cwd = testRepository(
      {
        'package.json': `${JSON.stringify({ name: 'shop-jest-ts', scripts: { test: 'jest' }, devDependencies: { jest: '^30.0.0', 'ts-jest': '^29.4.0', typescript: '^5.9.0' } }, null, 2)}\n`,
        'jest.config.js': "module.exports = { preset: 'ts-jest', testEnvironment: 'node' };\n",
        // isolatedModules: ts-jest transpiles each file alone (35 s for this test instead of 110 s); tsc still checks them.
        'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, isolatedModules: true } }),
        'src/index.ts': 'export const total = (prices: number[]): number => prices.reduce((sum, price) => sum + price, 0);\n',
      },
      ['jest', 'ts-jest', '@jest/globals', '@types/node', 'typescript', 'zod'],
    );
    const { run, testing, testRun } = await integrate(cwd);
    expect(testing).toMatchObject({ ran: true, failed: 0 });
    expect(testing?.passed).toBeGreaterThan(10);
    expect(testRun).toMatch(/^- jest: \d+ passed, 0 failed/m);
    expect(testRun).toMatch(/^- TypeScript ran with the repository's jest transform \(ts-jest installed/m);

    await apply(cwd, run.runId);
    const own = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--no-watchman'], { cwd, encoding: 'utf8' });
    expect(own.status, own.stdout + own.stderr).toBe(0);
    expect(own.stderr).toMatch(new RegExp(`Tests:\\s+${testing?.passed ?? 0} passed`));
  }, 600_000);
});
