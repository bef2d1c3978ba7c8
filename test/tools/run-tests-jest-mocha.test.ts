import { expect, it } from 'vitest';
import { runGeneratedTests } from '../../src/tools/run-tests.js';
import { describeNeeding } from '../helpers/needs.js';
import { runStagedTests, stagedFiles, testRepository } from '../helpers/test-repository.js';

/**
 * jest and mocha repositories, created here with the runner installed (linked from orchestrate's
 * node_modules): the staged tests run under the repository's own runner and config, in the
 * sandbox, and the counts are the runner's.
 */

const jestTests = [
  "const { describe, expect, it } = require('@jest/globals');",
  "const { total } = require('../lib/total');",
  "describe('total', () => {",
  "  it('adds prices', () => expect(total([{ price: 2 }, { price: 3 }])).toBe(5));",
  "  it('adds wrongly', () => expect(total([{ price: 2 }])).toBe(3));",
  "  it.skip('is skipped', () => {});",
  "  it('sees the setup file of the jest config', () => expect(globalThis.fromSetup).toBe('yes'));",
  '});',
  '',
].join('\n');

const mochaTests = [
  "import { expect } from 'expect';",
  "import { total } from '../lib/total.js';",
  "describe('total', () => {",
  "  it('adds prices', () => expect(total([{ price: 2 }, { price: 3 }])).toBe(5));",
  "  it('adds wrongly', () => expect(total([{ price: 2 }])).toBe(3));",
  "  it.skip('is skipped', () => {});",
  "  it('sees the file the mocha config requires', () => expect(globalThis.fromSetup).toBe('yes'));",
  '});',
  '',
].join('\n');

describeNeeding(['bwrap'], 'run_tests: jest and mocha repositories run under their own runner', () => {
  it('jest: the repository config (setupFiles) applies, and a failing test is counted failed, by name', async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'jest' }, devDependencies: { jest: '^30.0.0' } }),
        'jest.config.js': "module.exports = { setupFiles: ['<rootDir>/test/setup.js'] };\n",
        'test/setup.js': "globalThis.fromSetup = 'yes';\n",
        'lib/total.js': 'exports.total = (items) => items.reduce((sum, item) => sum + item.price, 0);\n',
      },
      ['jest'],
    );
    const run = await runStagedTests(workspace, { 'test/total.test.js': jestTests });
    expect(run).toMatchObject({ ran: true, runner: 'jest', passed: 2, failed: 1, skipped: 1, sandbox: 'bubblewrap' });
    expect(run.failures).toEqual([expect.stringMatching(/^total adds wrongly: .*toBe/)]);
    expect(run.typecheck.skipped).toMatch(/JavaScript/);
  }, 120_000);

  it("jest: ESM (type module) runs under Node's VM modules, the jest key of package.json is the config", async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'jest' }, jest: { setupFiles: ['<rootDir>/test/setup.js'] } }),
        'test/setup.js': "globalThis.fromSetup = 'yes';\n",
        'lib/total.js': 'export const total = (items) => items.reduce((sum, item) => sum + item.price, 0);\n',
      },
      ['jest'],
    );
    const esm = jestTests.replace("const { describe, expect, it } = require('@jest/globals');", "import { describe, expect, it } from '@jest/globals';").replace("const { total } = require('../lib/total');", "import { total } from '../lib/total.js';");
    const run = await runStagedTests(workspace, { 'test/total.test.js': esm });
    expect(run).toMatchObject({ ran: true, runner: 'jest', passed: 2, failed: 1, skipped: 1 });
  }, 120_000);

  it('jest: a test file that does not load is one failure, named with its error', async () => {
    const workspace = testRepository({ 'package.json': JSON.stringify({ name: 'shop', devDependencies: { jest: '^30.0.0' } }) }, ['jest']);
    const run = await runStagedTests(workspace, { 'test/broken.test.js': "require('./does-not-exist');\n" });
    expect(run).toMatchObject({ ran: true, passed: 0, failed: 1 });
    expect(run.failures).toEqual([expect.stringMatching(/^broken\.test\.js: Cannot find module '\.\/does-not-exist'/)]);
  }, 120_000);

  it("jest: a config whose testMatch leaves the staged tests out is said so, not counted as passing", async () => {
    const workspace = testRepository(
      { 'package.json': JSON.stringify({ name: 'shop', devDependencies: { jest: '^30.0.0' }, jest: { testMatch: ['**/*.spec.js'] } }), 'lib/total.js': 'exports.total = () => 0;\n' },
      ['jest'],
    );
    const run = await runStagedTests(workspace, { 'test/total.test.js': jestTests });
    expect(run.ran).toBe(false);
    expect(run.notRun).toMatch(/jest config .* selects none of the staged tests \(test\/total\.test\.js\)/);
  }, 120_000);

  it('mocha: ESM, the .mocharc.yml applies (require) but not its spec, and the counts are mocha’s', async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'mocha' }, devDependencies: { mocha: '^11.0.0', expect: '^30.0.0' } }),
        '.mocharc.yml': "require: ['./test/setup.js']\nspec: ['test/own/**/*.test.js']\n",
        'test/setup.js': "globalThis.fromSetup = 'yes';\n",
        // The repository's own suite: the config's spec names it, and it must not run.
        'test/own/own.test.js': "describe('own', () => { it('is not run', () => { throw new Error('ran the repository suite'); }); });\n",
        'lib/total.js': 'export const total = (items) => items.reduce((sum, item) => sum + item.price, 0);\n',
      },
      ['mocha', 'expect'],
    );
    const run = await runStagedTests(workspace, { 'test/total.test.js': mochaTests });
    expect(run).toMatchObject({ ran: true, runner: 'mocha', passed: 2, failed: 1, skipped: 1, sandbox: 'bubblewrap' });
    expect(run.failures).toEqual([expect.stringMatching(/^total adds wrongly: expect\(received\)\.toBe\(expected\)/)]);
  }, 120_000);

  it('mocha: CommonJS with the mocha key of package.json', async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', devDependencies: { mocha: '^11.0.0' }, mocha: { require: './test/setup.js', spec: 'test/own' } }),
        'test/setup.js': "globalThis.fromSetup = 'yes';\n",
        'lib/total.js': 'exports.total = (items) => items.reduce((sum, item) => sum + item.price, 0);\n',
      },
      ['mocha', 'expect'],
    );
    const cjs = mochaTests.replace("import { expect } from 'expect';", "const { expect } = require('expect');").replace("import { total } from '../lib/total.js';", "const { total } = require('../lib/total.js');");
    const run = await runStagedTests(workspace, { 'test/total.test.js': cjs });
    expect(run).toMatchObject({ ran: true, runner: 'mocha', passed: 2, failed: 1, skipped: 1 });
  }, 120_000);

  it('a package the staged package.json adds but the repository has not installed: not run, named, rather than counted as failures', async () => {
    const workspace = testRepository(
      { 'package.json': JSON.stringify({ name: 'shop', type: 'module', devDependencies: { mocha: '^11.0.0' } }), 'lib/total.js': 'export const total = () => 0;\n' },
      ['mocha'],
    );
    const stagedPackage = JSON.stringify({ name: 'shop', type: 'module', dependencies: { zod: '^4.1.0' }, devDependencies: { mocha: '^11.0.0', expect: '^30.0.0' } });
    const run = await runStagedTests(workspace, { 'package.json': stagedPackage, 'test/total.test.js': `import { z } from 'zod';\n${mochaTests}` });
    expect(run).toMatchObject({ ran: false, runner: 'mocha' });
    expect(run.notRun).toBe("the staged code imports expect, zod, which package.json declares but the repository's node_modules does not hold; install them (npm install) and run_tests again");
  }, 120_000);

  it('says what to install when the repository has not installed its runner', async () => {
    const jest = testRepository({ 'package.json': JSON.stringify({ name: 'shop', devDependencies: { jest: '^30.0.0' } }) }, ['expect']);
    const mocha = testRepository({ 'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'mocha' } }) }, ['expect']);
    const files = stagedFiles({ 'test/total.test.js': jestTests });
    expect(await runGeneratedTests({ ...files, workspace: jest })).toMatchObject({ ran: false, runner: 'jest', notRun: expect.stringMatching(/jest, which is not installed in its node_modules; install it \(npm install --save-dev jest\)/) });
    expect(await runGeneratedTests({ ...files, workspace: mocha })).toMatchObject({ ran: false, runner: 'mocha', notRun: expect.stringMatching(/mocha, which is not installed/) });
  }, 120_000);

  it('jest: TypeScript tests without a TypeScript transform installed are not run, and it says which to install', async () => {
    const workspace = testRepository({ 'package.json': JSON.stringify({ name: 'shop', devDependencies: { jest: '^30.0.0', typescript: '^5.9.0' } }) }, ['jest']);
    const run = await runStagedTests(workspace, { 'test/total.test.ts': "import { expect, it } from '@jest/globals';\nit('runs', () => expect(1 as number).toBe(1));\n" });
    expect(run).toMatchObject({ ran: false, runner: 'jest' });
    expect(run.notRun).toMatch(/no TypeScript transform installed \(ts-jest, @swc\/jest, or babel-jest with @babel\/preset-typescript\)/);
  }, 120_000);

  it("jest: TypeScript tests run through the repository's transform (ts-jest, as its config sets it)", async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'jest' }, devDependencies: { jest: '^30.0.0', 'ts-jest': '^29.4.0', typescript: '^5.9.0' } }),
        'jest.config.js': "module.exports = { preset: 'ts-jest', testEnvironment: 'node' };\n",
        'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] } }),
        'src/total.ts': 'export interface Item { price: number }\nexport const total = (items: Item[]): number => items.reduce((sum, item) => sum + item.price, 0);\n',
      },
      ['jest', 'ts-jest', 'typescript', '@types/node', '@jest/globals'],
    );
    const run = await runStagedTests(workspace, {
      'test/total.test.ts': [
        "import { describe, expect, it } from '@jest/globals';",
        "import { total, type Item } from '../src/total';",
        "describe('total', () => {",
        "  it('adds prices', () => expect(total([{ price: 2 } as Item, { price: 3 }])).toBe(5));",
        "  it('adds wrongly', () => expect(total([])).toBe(1));",
        '});',
        '',
      ].join('\n'),
    });
    expect(run).toMatchObject({ ran: true, runner: 'jest', passed: 1, failed: 1, skipped: 0, typescriptLoader: "the repository's jest transform (ts-jest installed; its jest config decides)" });
    expect(run.typecheck).toMatchObject({ ok: true, errors: 0, under: "the repository's tsconfig.json" });
  }, 120_000);
});
