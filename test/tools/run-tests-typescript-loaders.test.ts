import { expect, it } from 'vitest';
import { describeNeeding } from '../helpers/needs.js';
import { runStagedTests, testRepository } from '../helpers/test-repository.js';

/**
 * TypeScript tests under node --test and mocha, which run JavaScript: with the repository's
 * loader where it has one (tsx), else orchestrate's sucrase loader. Each file uses syntax Node
 * cannot run (types, an interface, `as`, a parameter property) and imports TypeScript the way
 * NodeNext writes it (`./total.js` for `./total.ts`).
 */

const SOURCE = [
  'export interface Item { price: number }',
  'export class Cart {',
  '  constructor(private readonly items: Item[]) {}',
  '  total(): number { return this.items.reduce((sum, item) => sum + item.price, 0); }',
  '}',
  '',
].join('\n');

const body = [
  "describe('cart', () => {",
  '  it("totals", () => expect(new Cart([{ price: 2 } as Item, { price: 3 }]).total()).toBe(5));',
  '  it("totals wrongly", () => expect(new Cart([]).total()).toBe(1));',
  '  it.skip("is skipped", () => {});',
  '});',
  '',
];
const nodeTest = (from: string) => ["import { describe, it } from 'node:test';", "import { expect } from 'expect';", `import { Cart, type Item } from '${from}';`, ...body].join('\n');
const mochaTest = (from: string) => ["import { expect } from 'expect';", `import { Cart, type Item } from '${from}';`, ...body].join('\n');

const counts = { ran: true, passed: 1, failed: 1, skipped: 1, sandbox: 'bubblewrap' };

describeNeeding(['bwrap'], 'run_tests: TypeScript tests under node --test and mocha', () => {
  it("node --test, ESM, no loader installed: orchestrate's sucrase loader, and the counts are node's", async () => {
    const workspace = testRepository({ 'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node --test' } }), 'src/cart.ts': SOURCE }, ['expect']);
    const run = await runStagedTests(workspace, { 'test/cart.test.ts': nodeTest('../src/cart.js') });
    expect(run).toMatchObject({ ...counts, runner: 'node:test' });
    expect(run.failures).toEqual([expect.stringMatching(/^totals wrongly/)]);
    expect(run.typescriptLoader).toMatch(/^orchestrate's sucrase loader: the repository has no TypeScript loader installed \(tsx, ts-node\)/);
  }, 120_000);

  it("node --test, CommonJS, no loader installed: sucrase's require hook, imports without an extension", async () => {
    const workspace = testRepository({ 'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'node --test' } }), 'src/cart.ts': SOURCE }, ['expect']);
    const run = await runStagedTests(workspace, { 'test/cart.test.ts': nodeTest('../src/cart') });
    expect(run).toMatchObject({ ...counts, runner: 'node:test' });
  }, 120_000);

  it("node --test with tsx installed: the repository's tsx", async () => {
    const workspace = testRepository({ 'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node --test' } }), 'src/cart.ts': SOURCE }, ['expect', 'tsx']);
    const run = await runStagedTests(workspace, { 'test/cart.test.ts': nodeTest('../src/cart.js') });
    expect(run).toMatchObject({ ...counts, runner: 'node:test', typescriptLoader: "the repository's tsx (--import tsx)" });
  }, 120_000);

  it('node --test: the loader the test script passes comes first', async () => {
    const workspace = testRepository(
      { 'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'node --import tsx --test test/' } }), 'src/cart.ts': SOURCE },
      ['expect', 'tsx'],
    );
    const run = await runStagedTests(workspace, { 'test/cart.test.ts': nodeTest('../src/cart.js') });
    expect(run).toMatchObject({ ...counts, typescriptLoader: "the repository's loader, as its test script passes it (--import tsx)" });
  }, 120_000);

  it("mocha, ESM, no loader installed: orchestrate's loader; with tsx installed: tsx", async () => {
    const files = { 'package.json': JSON.stringify({ name: 'shop', type: 'module', scripts: { test: 'mocha' } }), 'src/cart.ts': SOURCE };
    const own = await runStagedTests(testRepository(files, ['mocha', 'expect']), { 'test/cart.test.ts': mochaTest('../src/cart.js') });
    expect(own).toMatchObject({ ...counts, runner: 'mocha', typescriptLoader: expect.stringMatching(/^orchestrate's sucrase loader/) });
    const tsx = await runStagedTests(testRepository(files, ['mocha', 'expect', 'tsx']), { 'test/cart.test.ts': mochaTest('../src/cart.js') });
    expect(tsx).toMatchObject({ ...counts, runner: 'mocha', typescriptLoader: "the repository's tsx (--import tsx)" });
  }, 120_000);

  it('mocha, CommonJS: the loader its .mocharc names (tsx, through node-option)', async () => {
    const workspace = testRepository(
      { 'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'mocha' } }), '.mocharc.json': '{ "node-option": ["import=tsx"] }\n', 'src/cart.ts': SOURCE },
      ['mocha', 'expect', 'tsx'],
    );
    const run = await runStagedTests(workspace, { 'test/cart.test.ts': mochaTest('../src/cart') });
    expect(run).toMatchObject({ ...counts, runner: 'mocha', typescriptLoader: "the repository's loader, as its mocha config names it (tsx)" });
  }, 120_000);
});
