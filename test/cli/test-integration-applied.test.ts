import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { itNeeding } from '../helpers/needs.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const newest = (cwd: string) => runFolders(cwd).sort().at(-1)!;
/** The typecheck and counts line of a run's notes/test-run.md, which the testing-engineer writes from run_tests' result. */
const testRunOf = (cwd: string, runId: string) => {
  const note = readFileSync(path.join(cwd, 'pending-commits', runId, 'notes', 'test-run.md'), 'utf8');
  const counts = /^- vitest: (\d+) passed, (\d+) failed, (\d+) skipped/m.exec(note);
  return { note, typecheck: /^- (typecheck .*|not typechecked .*)$/m.exec(note)?.[1], passed: Number(counts?.[1]), failed: Number(counts?.[2]), skipped: Number(counts?.[3]) };
};

describe('orchestrate test-integration on an integration already applied', () => {
  itNeeding(
    ['bwrap'],
    "tests the repository's own files with the staged tests on top: the integrate run's strict typecheck and counts",
    () => {
      const cwd = tempRepo({ 'README.md': '# demo\n', '.env.example': 'EXISTING=1\n', 'src/app.ts': 'export const app = 1;\n' });
      expect(runCli(['integrate', 'twilio', '-q'], cwd).code).toBe(0);
      const integrated = testRunOf(cwd, newest(cwd));
      expect(integrated.typecheck).toBe('typecheck under strict mode passed');
      expect(integrated.failed).toBe(0);
      expect(integrated.passed).toBeGreaterThan(10);
      const applied = runCli(['apply', 'last', '--here'], cwd, GIT_ENV);
      expect(applied.code, applied.stderr).toBe(0);

      // The run stages only the tests: the client and handler they import are the repository's, applied above.
      const tested = runCli(['test-integration', 'twilio', '-q'], cwd);
      expect(tested.code, tested.stderr).toBe(0);
      const rerun = testRunOf(cwd, newest(cwd));
      expect(rerun.note, rerun.note).not.toMatch(/Cannot find module/);
      expect(rerun.typecheck).toBe('typecheck under strict mode passed');
      expect({ passed: rerun.passed, failed: rerun.failed, skipped: rerun.skipped }).toEqual({ passed: integrated.passed, failed: 0, skipped: integrated.skipped });
    },
    300_000,
  );
});
