import type { TestRunEvent } from '../schema/events.js';

/** The fields of a `test-results` result that only `run_tests` may decide. */
interface ClaimedTests {
  summary?: unknown;
  ran?: unknown;
  passed?: unknown;
  failed?: unknown;
  skipped?: unknown;
  notRun?: unknown;
  typecheck?: unknown;
}

/**
 * A `test-results` result with its counts replaced by what `run_tests` recorded in the task (the
 * last call), or, when the task never ran them, marked not run: the model's own counts are
 * never used. A summary whose claims differed says it was overruled, and with what.
 */
export function overruleTestResult(result: unknown, recorded: TestRunEvent | undefined): unknown {
  if (result === null || typeof result !== 'object') return result;
  const claimed = result as ClaimedTests;
  const seen = recorded
    ? {
        ran: recorded.ran,
        passed: recorded.passed,
        failed: recorded.failed,
        skipped: recorded.skipped,
        typecheck: recorded.typecheck,
        ...(recorded.notRun ? { notRun: recorded.notRun } : {}),
      }
    : { ran: false, passed: 0, failed: 0, skipped: 0, notRun: 'the agent did not call run_tests, so no test result was recorded' };
  const { notRun: _claimedNotRun, typecheck: _claimedTypecheck, ...rest } = claimed;
  const differs =
    claimed.ran !== seen.ran || claimed.passed !== seen.passed || claimed.failed !== seen.failed || (seen.ran && claimed.skipped !== seen.skipped);
  const summary = typeof claimed.summary === 'string' ? claimed.summary : '';
  const note = differs
    ? ` [Overruled by the engine: the agent claimed ${describe(claimed)}; run_tests recorded ${describe(seen)}.]`
    : '';
  return { ...rest, ...seen, summary: `${summary}${note}` };
}

function describe(tests: ClaimedTests): string {
  if (tests.ran !== true) return 'not run';
  return `${String(tests.passed)} passed, ${String(tests.failed)} failed`;
}
