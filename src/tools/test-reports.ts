import path from 'node:path';
import { z } from 'zod';

/** What a runner reported: its own counts, never estimates, and the failing tests by name. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Names of failing tests, with the first line of each failure. */
  failures: string[];
}

/** `--json` of jest, which vitest's JSON reporter copies field for field. */
const JestJsonReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number().default(0),
  numTodoTests: z.number().default(0),
  testResults: z
    .array(
      z.object({
        assertionResults: z.array(z.object({ fullName: z.string(), status: z.string(), failureMessages: z.array(z.string()).default([]) })).default([]),
        message: z.string().optional(),
        name: z.string().optional(),
        status: z.string().optional(),
      }),
    )
    .default([]),
});

/** The text parsed as JSON and checked against a runner's report schema; undefined when it is not such a report. */
function parseReport<T extends z.ZodType>(text: string, schema: T): z.infer<T> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The first line that says something: jest opens a file's load failure with "● Test suite failed to run". */
function firstLine(message: string): string {
  return (
    message
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !/^● Test suite failed to run$/.test(line)) ?? ''
  );
}

/**
 * The counts of a jest `--json` or vitest `--reporter=json` report. A test file that failed to
 * load has no assertions but a message, and counts as one failure. Undefined when the text is
 * not such a report.
 */
export function parseJestJsonReport(text: string): TestCounts | undefined {
  const r = parseReport(text, JestJsonReport);
  if (!r) return undefined;
  const unloaded = r.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0);
  const failures = [
    ...r.testResults.flatMap((file) => file.assertionResults.filter((a) => a.status === 'failed').map((a) => `${a.fullName}: ${firstLine(a.failureMessages[0] ?? '')}`)),
    ...unloaded.map((file) => `${path.basename(file.name ?? '?')}: ${firstLine(file.message ?? '')}`),
  ];
  return { passed: r.numPassedTests, failed: r.numFailedTests + unloaded.length, skipped: r.numPendingTests + r.numTodoTests, failures };
}

/** mocha's `json` reporter: `stats` and the failing tests. */
const MochaJsonReport = z.object({
  stats: z.object({ passes: z.number(), failures: z.number(), pending: z.number().default(0) }),
  failures: z.array(z.object({ fullTitle: z.string(), err: z.object({ message: z.string().optional() }).loose().default({}) })).default([]),
});

/**
 * The counts of mocha's `json` reporter. A failing hook is one of its failures (named
 * `"before all" hook ...`), as mocha counts it. Undefined when the text is not such a report.
 */
export function parseMochaJsonReport(text: string): TestCounts | undefined {
  const report = parseReport(text, MochaJsonReport);
  if (!report) return undefined;
  const { stats, failures } = report;
  return { passed: stats.passes, failed: stats.failures, skipped: stats.pending, failures: failures.map((f) => `${f.fullTitle}: ${firstLine(f.err.message ?? '')}`) };
}

/**
 * The counts of `node --test --test-reporter=tap`: its closing `# pass`, `# fail`, `# skipped`
 * and `# todo` lines, and the failing tests by name (a suite whose tests failed is not counted
 * again). Undefined when the run ended before the summary.
 */
export function parseTapSummary(output: string): TestCounts | undefined {
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
  const [passed, failed, skipped, todo] = [count('pass'), count('fail'), count('skipped'), count('todo')];
  if ([passed, failed].some(Number.isNaN)) return undefined;
  const failures: string[] = [];
  let previousIndent = -1;
  for (const line of output.split('\n')) {
    const result = /^(\s*)(not ok|ok) \d+ - (.*)$/.exec(line);
    if (!result) continue;
    const indent = result[1]!.length;
    // A result indented less than the one before closes a suite: its tests were counted already.
    if (result[2] === 'not ok' && indent >= previousIndent) failures.push(result[3]!.trim());
    previousIndent = indent;
  }
  return { passed, failed, skipped: (Number.isNaN(skipped) ? 0 : skipped) + (Number.isNaN(todo) ? 0 : todo), failures };
}
