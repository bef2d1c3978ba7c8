import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
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
 * once, with a timeout, an output cap and an environment stripped of secrets and proxies.
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
  const scratch = await mkdtemp(path.join(tmpdir(), 'orchestrate-tests-'));
  try {
    for (const file of code) {
      const target = path.join(scratch, ...file.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(options.sourceDir, ...file.split('/')), target);
    }
    const nodeModules = path.dirname(path.dirname(require.resolve('typescript/package.json')));
    await symlink(nodeModules, path.join(scratch, 'node_modules'), 'dir');
    await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await writeFile(path.join(scratch, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    await writeFile(
      path.join(scratch, 'vitest.config.mjs'),
      `export default { cacheDir: '.vite-cache', test: { include: ${JSON.stringify(tests)}, testTimeout: 15000 } };\n`,
    );
    const env = scrubbedEnv(scratch);
    const tsc = require.resolve('typescript/bin/tsc');
    const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
    const results = path.join(scratch, '.vitest-results.json');
    const [typecheck, testRun] = await Promise.all([
      runChild([tsc, '-p', 'tsconfig.json', '--pretty', 'false'], scratch, env, timeoutMs, cap, options.signal),
      runChild([vitest, 'run', '--reporter=json', `--outputFile=${results}`], scratch, env, timeoutMs, cap, options.signal),
    ]);
    const tscErrors = (typecheck.output.match(/error TS\d+/g) ?? []).length;
    const report = await readFile(results, 'utf8').then(parseVitestReport, () => undefined);
    const typecheckResult = { ok: typecheck.code === 0, errors: tscErrors, output: typecheck.output };
    if (!report) {
      const why = testRun.timedOut ? `vitest did not finish within ${timeoutMs} ms` : `vitest wrote no results (exit ${testRun.code}): ${testRun.output.slice(-2000)}`;
      return { ran: false, typecheck: typecheckResult, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: Date.now() - started, notRun: why };
    }
    return { ran: true, typecheck: typecheckResult, ...report, durationMs: Date.now() - started };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
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

/**
 * Only what the toolchain needs: no API keys, tokens or credentials of the user's shell, and no
 * proxy variables (generated tests must not reach the network).
 */
export function scrubbedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: home, NODE_ENV: 'test', CI: '1', NO_COLOR: '1', TZ: 'UTC' };
  for (const key of ['PATH', 'LANG', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return env;
}

interface ChildResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

function runChild(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, cap: number, signal?: AbortSignal): Promise<ChildResult> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout kills vitest's workers too.
    const child = spawn(process.execPath, args, { cwd, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < cap) output += chunk.toString('utf8').slice(0, cap - output.length);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ code, output, timedOut });
    });
  });
}

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    'Run the tests staged in this run: the staged files are copied to a scratch directory, typechecked under strict mode ' +
    'with the installed TypeScript and run with the installed vitest (no network). Returns JSON with the typecheck result ' +
    'and the pass, fail and skip counts vitest reported.',
  input: z.object({
    timeoutSeconds: z.number().int().min(5).max(600).default(120).describe('Kill the run after this many seconds'),
  }),
  describe: () => 'staged tests',
  async run(input, context) {
    const files = context.staging.files().map((file) => file.path);
    const result = await runGeneratedTests({ sourceDir: context.staging.filesDir, files, timeoutMs: input.timeoutSeconds * 1000, signal: context.signal });
    return JSON.stringify({ ...result, typecheck: { ...result.typecheck, output: result.typecheck.output.slice(0, 8000) } });
  },
});
