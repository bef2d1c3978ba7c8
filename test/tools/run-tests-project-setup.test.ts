import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runGeneratedTests } from '../../src/tools/run-tests.js';
import { copyTsconfigChain } from '../../src/tools/tsconfig-chain.js';
import { describeNeeding } from '../helpers/needs.js';
import { runStagedTests, stagedFiles, testRepository } from '../helpers/test-repository.js';
import { REPO_ROOT, writeTree } from '../helpers/workspace.js';

/**
 * The scratch project is the repository's: its tsconfig with the configs it extends, and its
 * module system for JavaScript.
 */

/** Strict options that only a base config sets: an error under them proves the base applied. */
const BASE = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, types: ['node'], skipLibCheck: true },
});

const staged = {
  'src/math.ts': 'export const add = (a: number, b: number): number => a + b;\nexport function first(xs: string[]): string { return xs[0]; }\n',
  // The alias is the repository tsconfig's own `paths`, resolved against its `baseUrl`.
  'src/uses-alias.ts': "import { add } from '@/math.js';\nexport const three: number = add(1, 2);\n",
  'test/math.test.ts': "import { expect, it } from 'vitest';\nimport { add } from '../src/math.js';\nit('adds', () => expect(add(1, 2)).toBe(3));\n",
};

describeNeeding(['bwrap'], 'run_tests: the repository tsconfig with what it extends, and ESM JavaScript', () => {
  it('copies the configs tsconfig.json extends by relative path (a chain), and its path aliases resolve', async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', type: 'module', devDependencies: { vitest: '^4.0.0', typescript: '^5.9.0' } }),
        'tsconfig.json': '{\n  // the repository\'s own\n  "extends": "./config/tsconfig.app",\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } },\n}\n',
        'config/tsconfig.app.json': JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: { noEmit: true } }),
        'tsconfig.base.json': BASE,
      },
      'all',
    );
    // Without the working tree (a repository outside git): only what run_tests copies of the chain is there.
    const run = await runGeneratedTests({ ...stagedFiles(staged), workspace });
    expect(run).toMatchObject({ ran: true, passed: 1, failed: 0 });
    // xs[0] is string | undefined only under the base's noUncheckedIndexedAccess; the alias import is no error.
    expect(run.typecheck.output).toMatch(/src\/math\.ts.*TS2322/);
    expect(run.typecheck).toMatchObject({ ok: false, errors: 1, under: "the repository's tsconfig.json" });
  }, 120_000);

  it('a package of a monorepo: the root config it extends by ../../ is copied, its own paths made absolute', async () => {
    const root = testRepository({ 'tsconfig.base.json': BASE.replace('"compilerOptions":{', '"compilerOptions":{"baseUrl":"./shared",'), 'package.json': '{"name":"mono","private":true}' }, []);
    const workspace = path.join(root, 'packages', 'api');
    writeTree(workspace, {
      'package.json': JSON.stringify({ name: 'api', type: 'module', devDependencies: { vitest: '^4.0.0' } }),
      'tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }),
    });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(workspace, 'node_modules'), 'dir');
    const run = await runGeneratedTests({ ...stagedFiles(staged), workspace });
    expect(run).toMatchObject({ ran: true, passed: 1, failed: 0 });
    expect(run.typecheck.output).toMatch(/src\/math\.ts.*TS2322/);
    expect(run.typecheck).toMatchObject({ errors: 1, under: "the repository's tsconfig.json" });

    // The copy, as written: extends points at it, and its baseUrl is where it was, not under the scratch copy.
    const scratch = mkdtempSync(path.join(tmpdir(), 'orchestrate-chain-'));
    try {
      const chain = await copyTsconfigChain(workspace, scratch, readFileSync(path.join(workspace, 'tsconfig.json'), 'utf8'));
      expect(JSON.parse(chain.text)).toMatchObject({ extends: './.orchestrate/tsconfig/1-tsconfig.base.json' });
      const copied = JSON.parse(readFileSync(path.join(scratch, '.orchestrate/tsconfig/1-tsconfig.base.json'), 'utf8')) as { compilerOptions: { baseUrl: string } };
      expect(copied.compilerOptions.baseUrl).toBe(path.join(root, 'shared'));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);

  it('a config it extends from outside the repository is not copied, and the typecheck says so', async () => {
    const elsewhere = testRepository({ 'tsconfig.base.json': BASE }, []);
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', type: 'module' }),
        'tsconfig.json': JSON.stringify({ extends: path.join(elsewhere, 'tsconfig.base.json'), compilerOptions: { strict: true, module: 'NodeNext', types: ['node'], skipLibCheck: true } }),
      },
      'all',
    );
    const run = await runStagedTests(workspace, { 'test/math.test.ts': staged['test/math.test.ts'], 'src/math.ts': staged['src/math.ts'] });
    expect(run.ran).toBe(true);
    expect(run.typecheck.under).toBe(`the repository's tsconfig.json (not copied, so not applied: its extends ${path.join(elsewhere, 'tsconfig.base.json')} (outside the repository))`);
  }, 120_000);

  it('ESM JavaScript (type module, .js, no tsconfig): no typecheck, import with extensions, the counts node reported', async () => {
    const workspace = testRepository(
      {
        'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node --test' } }),
        'lib/total.js': 'export const total = (items) => items.reduce((sum, item) => sum + item.price, 0);\n',
      },
      ['expect'],
    );
    const run = await runStagedTests(workspace, {
      'test/total.test.js': [
        "import { describe, it } from 'node:test';",
        "import { expect } from 'expect';",
        "import { total } from '../lib/total.js';",
        "describe('total', () => {",
        "  it('adds', () => expect(total([{ price: 2 }, { price: 3 }])).toBe(5));",
        "  it('is ESM', () => expect(typeof require).toBe('undefined'));",
        "  it('adds wrongly', () => expect(total([])).toBe(1));",
        '});',
        '',
      ].join('\n'),
    });
    expect(run).toMatchObject({ ran: true, runner: 'node:test', passed: 2, failed: 1, skipped: 0 });
    expect(run.failures).toEqual(['adds wrongly']);
    expect(run.typecheck).toMatchObject({ ok: true, skipped: expect.stringMatching(/^JavaScript/) });
    expect(run.typescriptLoader).toBeUndefined();
  }, 120_000);
});
