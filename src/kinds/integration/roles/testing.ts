import type { ServiceEntry } from '../catalog/schema.js';
import { finish, learn, write, type Role, type RoleState } from '../../../providers/offline/script.js';
import { testFiles } from '../templates/sources.js';
import { stackOf } from '../stack/probe.js';

/**
 * testing-engineer: writes the tests, then runs them with `run_tests` when the agent has that
 * tool (Bash maps to it), and reports exactly the counts the run saw. Without the tool it says
 * the tests were not run, and why.
 */
export function testsRole(service: ServiceEntry): Role {
  const pathsOf = (state: RoleState) => testFiles(service, stackOf(state.request)).map(([path]) => path);
  const canRun = (state: RoleState) => state.request.tools.some((tool) => tool.name === 'run_tests');
  const notRun = (state: RoleState, reason: string) => {
    const paths = pathsOf(state);
    return finish({ summary: `Wrote ${paths.length} test files for ${service.name}; not run: ${reason}.`, testFiles: paths, ran: false, passed: 0, failed: 0, skipped: 0, notRun: reason });
  };
  return {
    steps: [
      (state) => testFiles(service, stackOf(state.request)).map(([path, content]) => write(path, content)),
      (state) => (canRun(state) ? [{ name: 'run_tests', input: {} }] : [notRun(state, 'this agent has no run_tests tool (give it Bash); run them with the repository\'s test command after applying')]),
      (state) => {
        const paths = pathsOf(state);
        const result = state.lastResults.find((r) => r.name === 'run_tests');
        if (!result || result.isError) return [notRun(state, `run_tests failed: ${result?.content.slice(0, 300) ?? 'no result'}`)];
        const run = JSON.parse(result.content) as {
          ran: boolean;
          passed: number;
          failed: number;
          skipped: number;
          failures: string[];
          notRun?: string;
          durationMs: number;
          typecheck: { ok: boolean; errors: number; skipped?: string; under?: string };
          runner?: string;
          typescriptLoader?: string;
        };
        const typecheck = run.typecheck.skipped
          ? `not typechecked (${run.typecheck.skipped})`
          : run.typecheck.ok
            ? `typecheck under ${run.typecheck.under ?? 'strict mode'} passed`
            : `typecheck under ${run.typecheck.under ?? 'strict mode'} FAILED with ${run.typecheck.errors} errors`;
        if (!run.ran) return [notRun(state, run.notRun ?? 'the test run did not complete')];
        const written = [
          `# Test run: ${service.name}`,
          '',
          `- ${typecheck}`,
          `- ${run.runner ?? 'vitest'}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped (${run.durationMs} ms)`,
          ...(run.typescriptLoader ? [`- TypeScript ran with ${run.typescriptLoader}`] : []),
          ...(run.failures.length ? ['', '## Failures', ...run.failures.map((f) => `- ${f}`)] : []),
          ...(service.kind !== 'http-api'
            ? ['', '## Not run', `- Nothing here talks to a live ${service.name} server: connecting, querying and the health check against a real server were not run.`]
            : []),
          '',
        ].join('\n');
        return [
          write('notes/test-run.md', written),
          learn(
            `${service.name} generated tests ran under ${run.runner ?? 'vitest'} in the sandbox: ${run.passed} passed, ${run.failed} failed; ${typecheck}`,
            `${service.id} tests`,
            run.failed ? paths : [],
          ),
          finish({
            summary: `Ran ${paths.length} test files for ${service.name}: ${run.passed} passed, ${run.failed} failed; ${typecheck}.`,
            testFiles: paths,
            ran: true,
            passed: run.passed,
            failed: run.failed,
            skipped: run.skipped,
            typecheck: { ok: run.typecheck.ok, errors: run.typecheck.errors },
          }),
        ];
      },
    ],
  };
}
