import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDirOf, stagedPath } from '../../src/staging/run-layout.js';
import { REPO_ROOT, tempRepo, writeTree } from '../helpers/workspace.js';

/**
 * A run's staged copies never reach the user's own test run or typecheck: a staged test that
 * fails and a staged file that does not typecheck sit under pending-commits/<run>/, and the
 * repository's `vitest run`, `node --test` and `tsc` (with no `include`) still pass. The same
 * files one folder over, outside the staged tree, are picked up: the check can fail.
 */

const FAILING_TEST = `import { expect, it } from 'vitest';\nit('staged, not applied', () => expect(1).toBe(2));\n`;
const FAILING_NODE_TEST = `const test = require('node:test');\nconst assert = require('node:assert');\ntest('staged, not applied', () => assert.equal(1, 2));\n`;
const TYPE_ERROR = `export const n: number = 'not a number';\n`;

function repository(): string {
  const cwd = tempRepo({
    'package.json': `${JSON.stringify({ name: 'shop', private: true, type: 'module', scripts: { test: 'vitest run' } })}\n`,
    // No `include`: tsc takes every .ts file under the folder but node_modules.
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: [] } }),
    'src/ok.test.ts': `import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n`,
    'test/ok.cjs': `const test = require('node:test');\ntest('passes', () => {});\n`,
  });
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(cwd, 'node_modules'), 'dir');
  return cwd;
}

function userRuns(cwd: string) {
  const vitest = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/vitest'), ['run', '--reporter=json', '--outputFile=.vitest.json'], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const nodeTest = spawnSync(process.execPath, ['--test'], { cwd, encoding: 'utf8' });
  const tsc = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd, encoding: 'utf8' });
  const files = (JSON.parse(readFileSync(path.join(cwd, '.vitest.json'), 'utf8')) as { testResults: Array<{ name: string }> }).testResults.map((r) => path.relative(cwd, r.name));
  return { vitest: vitest.status, vitestFiles: files, nodeTest: nodeTest.status, tsc: tsc.status, tscOutput: tsc.stdout };
}

describe("the user's own runners and the staged tree", () => {
  it('vitest, node --test and tsc skip a run\'s staged failing test and type error', () => {
    const cwd = repository();
    const runDir = runDirOf(cwd, '20260101-000000-integrate-stripe');
    const staged = (repoPath: string) => path.relative(cwd, stagedPath(runDir, repoPath));
    writeTree(cwd, {
      [staged('src/integrations/__tests__/fails.test.ts')]: FAILING_TEST,
      [staged('test/fails.cjs')]: FAILING_NODE_TEST,
      [staged('src/integrations/broken.ts')]: TYPE_ERROR,
    });
    expect(userRuns(cwd)).toEqual({ vitest: 0, vitestFiles: ['src/ok.test.ts'], nodeTest: 0, tsc: 0, tscOutput: '' });
  }, 120_000);

  it('the same files in the run folder but outside the staged tree are picked up (the check can fail)', () => {
    const cwd = repository();
    const elsewhere = path.relative(cwd, path.join(runDirOf(cwd, 'r'), 'elsewhere'));
    writeTree(cwd, { [`${elsewhere}/fails.test.ts`]: FAILING_TEST, [`${elsewhere}/test/fails.cjs`]: FAILING_NODE_TEST, [`${elsewhere}/broken.ts`]: TYPE_ERROR });
    const seen = userRuns(cwd);
    expect(seen.vitest).not.toBe(0);
    expect(seen.vitestFiles).toContain(`${elsewhere}/fails.test.ts`);
    expect(seen.nodeTest).not.toBe(0);
    expect(seen.tsc).not.toBe(0);
  }, 120_000);
});
