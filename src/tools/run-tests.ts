import { realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { chooseSandbox, type SandboxKind, UNSAFE_RUN_TESTS_ENV } from './sandbox.js';
import { runSandboxed } from './sandboxed-process.js';
import { defineTool } from './tool.js';

const require = createRequire(import.meta.url);

/** What one run of the generated tests saw. Counts are the ones vitest reported, never estimates. */
export interface GeneratedTestRun {
  ran: boolean;
  typecheck: { ok: boolean; errors: number; output: string };
  passed: number;
  failed: number;
  skipped: number;
  /** Names of failing tests, with the first line of each failure. */
  failures: string[];
  durationMs: number;
  /** Why the tests did not run, when they did not. */
  notRun?: string;
  /** What the code ran inside: bubblewrap, or none when the user opted out of the sandbox. */
  sandbox?: SandboxKind;
}

export interface RunGeneratedTestsOptions {
  /** Directory the files are copied from (the run's staged tree). */
  sourceDir: string;
  /** Repository-relative paths to copy. */
  files: readonly string[];
  /** Kill both processes after this long. @default 120000 */
  timeoutMs?: number;
  /** Bytes of output kept from each process. @default 64 KiB */
  outputCap?: number;
  signal?: AbortSignal;
  /**
   * Run without an OS sandbox where none can be had, instead of refusing
   * (`--unsafe-run-tests`). @default false
   */
  unsafe?: boolean;
}

/** Compiler options of the scratch project: strict, plus the checks a demanding reviewer turns on. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    // fetch, Response and Headers come from @types/node; without DOM the check is twice as fast.
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    skipLibCheck: true,
    noEmit: true,
    isolatedModules: true,
  },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
};

/**
 * Copies the files into a scratch directory, typechecks them under strict mode with the
 * installed TypeScript and runs them with the installed vitest (no network install), both at
 * once, each inside the OS sandbox (see sandbox.ts) with a timeout and an output cap.
 * Throws `SANDBOX_UNAVAILABLE` where there is no sandbox and `unsafe` is not set.
 */
export async function runGeneratedTests(options: RunGeneratedTestsOptions): Promise<GeneratedTestRun> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const cap = options.outputCap ?? 64 * 1024;
  const code = options.files.filter((file) => /\.(ts|mts|cts|js|mjs|json|sql)$/.test(file) && !file.startsWith('node_modules/'));
  const tests = code.filter((file) => /\.test\.[cm]?[jt]s$/.test(file));
  const empty = { ok: false, errors: 0, output: '' };
  if (tests.length === 0) {
    return { ran: false, typecheck: empty, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: 0, notRun: 'no test files (*.test.ts) among the staged files' };
  }
  const sandbox = await chooseSandbox(options.unsafe ?? false);
  const scratch = realpathSync(await mkdtemp(path.join(tmpdir(), 'orchestrate-tests-')));
  try {
    for (const file of code) {
      const target = path.join(scratch, ...file.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(options.sourceDir, ...file.split('/')), target);
    }
    const nodeModules = realpathSync(path.dirname(path.dirname(require.resolve('typescript/package.json'))));
    await symlink(nodeModules, path.join(scratch, 'node_modules'), 'dir');
    await mkdir(path.join(scratch, '.tmp'));
    await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await writeFile(path.join(scratch, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    await writeFile(
      path.join(scratch, 'vitest.config.mjs'),
      `export default { cacheDir: '.vite-cache', test: { include: ${JSON.stringify(tests)}, testTimeout: 15000 } };\n`,
    );
    const tsc = realpathSync(require.resolve('typescript/bin/tsc'));
    const vitest = realpathSync(path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs'));
    const results = path.join(scratch, '.vitest-results.json');
    // The toolchain is read-only inside; the scratch copy is the only thing the code can write.
    const policy = { scratch, readOnly: [...new Set([nodeModules, ...toolchainDirs(nodeModules, [tsc, vitest])])] };
    const run = (args: string[]) => runSandboxed({ args, sandbox, policy, timeoutMs, outputCap: cap, signal: options.signal });
    const [typecheck, testRun] = await Promise.all([
      run([tsc, '-p', 'tsconfig.json', '--pretty', 'false']),
      run([vitest, 'run', '--configLoader', 'runner', '--reporter=json', `--outputFile=${results}`]),
    ]);
    const tscErrors = (typecheck.output.match(/error TS\d+/g) ?? []).length;
    const report = await readFile(results, 'utf8').then(parseVitestReport, () => undefined);
    const typecheckResult = { ok: typecheck.code === 0, errors: tscErrors, output: typecheck.output };
    if (!report) {
      const why = testRun.timedOut ? `vitest did not finish within ${timeoutMs} ms` : `vitest wrote no results (exit ${testRun.code}): ${testRun.output.slice(-2000)}`;
      return { ran: false, typecheck: typecheckResult, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: Date.now() - started, notRun: why, sandbox };
    }
    return { ran: true, typecheck: typecheckResult, ...report, durationMs: Date.now() - started, sandbox };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Where the tools really live, when a package manager linked them out of node_modules (pnpm). */
function toolchainDirs(nodeModules: string, scripts: string[]): string[] {
  return scripts.filter((script) => !script.startsWith(`${nodeModules}/`)).map((script) => path.dirname(path.dirname(script)));
}

const VitestReport = z.object({
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

function parseVitestReport(text: string): Pick<GeneratedTestRun, 'passed' | 'failed' | 'skipped' | 'failures'> | undefined {
  const parsed = VitestReport.safeParse(JSON.parse(text));
  if (!parsed.success) return undefined;
  const r = parsed.data;
  const failures = r.testResults.flatMap((file) => [
    ...file.assertionResults.filter((a) => a.status === 'failed').map((a) => `${a.fullName}: ${(a.failureMessages[0] ?? '').split('\n')[0]}`),
    // A file that failed to load has no assertions but a message.
    ...(file.status === 'failed' && file.assertionResults.length === 0 ? [`${path.basename(file.name ?? '?')}: ${(file.message ?? '').split('\n')[0]}`] : []),
  ]);
  const loadFailures = r.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + loadFailures, skipped: r.numPendingTests + r.numTodoTests, failures };
}

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    'Run the tests staged in this run: the staged files are copied to a scratch directory, typechecked under strict mode ' +
    'with the installed TypeScript and run with the installed vitest, inside an OS sandbox (no network, nothing outside ' +
    'the scratch copy). Returns JSON with the typecheck result and the pass, fail and skip counts vitest reported; ' +
    'those counts are recorded by the engine and are what the report and gates use.',
  input: z.object({
    timeoutSeconds: z.number().int().min(5).max(600).default(120).describe('Kill the run after this many seconds'),
  }),
  describe: () => 'staged tests',
  async run(input, context) {
    const files = context.staging.files().map((file) => file.path);
    const unsafe = context.unsafeRunTests ?? false;
    const result = await runGeneratedTests({ sourceDir: context.staging.filesDir, files, timeoutMs: input.timeoutSeconds * 1000, signal: context.signal, unsafe });
    // The engine's record of what ran: a finish that claims otherwise is overruled with it.
    context.emit({
      type: 'test-run',
      runId: context.runId,
      at: context.at(),
      task: context.task.id,
      ran: result.ran,
      passed: result.passed,
      failed: result.failed,
      skipped: result.skipped,
      typecheck: { ok: result.typecheck.ok, errors: result.typecheck.errors },
      ...(result.notRun ? { notRun: result.notRun.slice(0, 500) } : {}),
      failures: result.failures.slice(0, 20).map((failure) => failure.slice(0, 300)),
      sandbox: result.sandbox ?? 'bubblewrap',
    });
    return JSON.stringify({ ...result, typecheck: { ...result.typecheck, output: result.typecheck.output.slice(0, 8000) } });
  },
});
