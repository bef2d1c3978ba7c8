import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { chooseSandbox, type SandboxKind, UNSAFE_RUN_TESTS_ENV } from './sandbox.js';
import { runSandboxed } from './sandboxed-process.js';
import { defineTool } from './tool.js';
import { selectWorkingTree, type WorkingTreeSelection } from './working-tree-copy.js';

const require = createRequire(import.meta.url);

/** What one run of the generated tests saw. Counts are the ones vitest reported, never estimates. */
export interface GeneratedTestRun {
  ran: boolean;
  /** The typecheck under the repository's tsconfig; `skipped` says why there was none (a JavaScript repository). */
  typecheck: { ok: boolean; errors: number; output: string; skipped?: string; under?: string };
  /** The runner the tests ran under: the repository's. */
  runner?: TestRunnerName;
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
  /** The repository's working-tree files copied under the staged ones, and what was left out (see working-tree-copy.ts). */
  workingTree?: { copied: number; skipped: string[] };
}

export interface RunGeneratedTestsOptions {
  /** Directory the files are copied from (the run's staged tree). */
  sourceDir: string;
  /**
   * The repository: its package.json (module system, test runner), tsconfig.json and installed
   * packages make the scratch project, so the tests run the way the repository runs its own.
   * Only those are read; inside the sandbox its node_modules is visible read-only, nothing else
   * of it. Without it, a strict ESM TypeScript project run with vitest.
   */
  workspace?: string;
  /** Repository-relative paths to copy. */
  files: readonly string[];
  /**
   * The repository's own files (paths relative to `workspace`) copied first, the staged `files`
   * over them: the tests import the repository's code as it is. The typecheck still starts from
   * the staged files (tsc follows what they import) and only the staged tests run.
   */
  workingTree?: WorkingTreeSelection;
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

/** The scratch project's vitest config, named apart from any the repository's copied tree holds. */
const VITEST_CONFIG = '.orchestrate-vitest.config.mjs';

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
  exclude: ['node_modules'],
};

export type TestRunnerName = 'vitest' | 'node:test' | 'jest' | 'mocha';

/** What the scratch project copies from the repository. */
interface RepositorySetup {
  /** package.json `type`: `module`, or CommonJS when absent. */
  type: string | undefined;
  runner: TestRunnerName;
  /** The repository's tsconfig.json as written (JSON with comments), when it has one. */
  tsconfig: string | undefined;
  /** The repository's installed packages, when it has them. */
  nodeModules: string | undefined;
}

/** The repository's runner: from its dependencies, else its test script; vitest when nothing says. */
export function runnerOf(packageJson: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> }): TestRunnerName {
  const deps = { ...packageJson.devDependencies, ...packageJson.dependencies };
  const test = packageJson.scripts?.test ?? '';
  if (Object.hasOwn(deps, 'vitest') || /\bvitest\b/.test(test)) return 'vitest';
  if (Object.hasOwn(deps, 'jest') || /\bjest\b/.test(test)) return 'jest';
  if (Object.hasOwn(deps, 'mocha') || /\bmocha\b/.test(test)) return 'mocha';
  if (/\bnode\s+(--\S+\s+)*--test\b/.test(test)) return 'node:test';
  return 'vitest';
}

async function repositorySetup(workspace: string): Promise<RepositorySetup> {
  const read = (file: string) => readFile(path.join(workspace, file), 'utf8').catch(() => undefined);
  // No package.json: the ESM layout the templates are written in.
  let pkg: Record<string, unknown> = { type: 'module' };
  try {
    pkg = JSON.parse((await read('package.json')) ?? '{"type":"module"}') as Record<string, unknown>;
  } catch {
    // An unreadable package.json says nothing: the defaults below.
  }
  const nodeModules = path.join(workspace, 'node_modules');
  return {
    type: typeof pkg.type === 'string' ? pkg.type : undefined,
    runner: runnerOf(pkg as Parameters<typeof runnerOf>[0]),
    tsconfig: await read('tsconfig.json'),
    nodeModules: existsSync(nodeModules) ? realpathSync(nodeModules) : undefined,
  };
}

/**
 * Copies the files (over the repository's working tree, when given) into a scratch directory
 * laid out like the repository, typechecks them and what they import with
 * the installed TypeScript under the repository's tsconfig (strict mode, and the checks a
 * demanding reviewer turns on, where there is none) and runs them with the repository's runner
 * (vitest or node:test) and module system, both at once, each inside the OS sandbox (see
 * sandbox.ts) with a timeout and an output cap; no network install.
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
  const repo: RepositorySetup = options.workspace
    ? await repositorySetup(options.workspace)
    : { type: 'module', runner: 'vitest', tsconfig: undefined, nodeModules: undefined };
  const typescript = code.some((file) => /\.[cm]?ts$/.test(file));
  if (repo.runner === 'jest' || repo.runner === 'mocha') {
    const notRun = `the repository runs its tests with ${repo.runner}, which run_tests does not run yet (it runs vitest and node:test); run them with its test command after applying`;
    return { ran: false, typecheck: empty, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: 0, notRun, runner: repo.runner };
  }
  if (repo.runner === 'node:test' && tests.some((file) => /\.[cm]?ts$/.test(file))) {
    const notRun = 'node --test runs JavaScript; TypeScript tests need the loader the repository uses (tsx, ts-node), which run_tests does not bring';
    return { ran: false, typecheck: empty, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: 0, notRun, runner: repo.runner };
  }
  const sandbox = await chooseSandbox(options.unsafe ?? false);
  const scratch = realpathSync(await mkdtemp(path.join(tmpdir(), 'orchestrate-tests-')));
  try {
    if (options.workspace && options.workingTree) {
      const from = options.workspace;
      const tree = options.workingTree.files;
      // A few copies at a time: a repository of thousands of files is copied in seconds, without thousands of open files.
      for (let i = 0; i < tree.length; i += 32) {
        await Promise.all(
          tree.slice(i, i + 32).map(async (file) => {
            const target = path.join(scratch, ...file.split('/'));
            await mkdir(path.dirname(target), { recursive: true });
            await copyFile(path.join(from, ...file.split('/')), target);
          }),
        );
      }
    }
    for (const file of code) {
      const target = path.join(scratch, ...file.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(options.sourceDir, ...file.split('/')), target);
    }
    const toolchain = realpathSync(path.dirname(path.dirname(require.resolve('typescript/package.json'))));
    // The repository's own packages when it has them installed (its zod, its runner's helpers), else the toolchain's.
    const nodeModules = repo.nodeModules ?? toolchain;
    await symlink(nodeModules, path.join(scratch, 'node_modules'), 'dir');
    await mkdir(path.join(scratch, '.tmp'));
    // TypeScript checked with the default strict tsconfig (NodeNext) is checked as ESM, as it is written.
    const type = repo.tsconfig === undefined && typescript ? 'module' : repo.type;
    await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, ...(type ? { type } : {}) }));
    // The repository's tsconfig, extended with only what makes it check these files and write nothing.
    if (repo.tsconfig !== undefined) await writeFile(path.join(scratch, 'tsconfig.repository.json'), repo.tsconfig);
    // The staged TypeScript and what it imports: the rest of a copied working tree is the repository's own typecheck's business.
    const include = code.filter((file) => /\.[cm]?ts$/.test(file));
    const tsconfig =
      repo.tsconfig !== undefined
        ? { extends: './tsconfig.repository.json', compilerOptions: { noEmit: true }, include, exclude: [] }
        : { ...TSCONFIG, include };
    await writeFile(path.join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    // Named apart and passed with --config: a vitest.config.ts of the repository's copied tree would come first otherwise.
    await writeFile(
      path.join(scratch, VITEST_CONFIG),
      `export default { cacheDir: '.vite-cache', test: { include: ${JSON.stringify(tests)}, testTimeout: 15000 } };\n`,
    );
    const tsc = realpathSync(require.resolve('typescript/bin/tsc'));
    const vitest = realpathSync(path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs'));
    const results = path.join(scratch, '.vitest-results.json');
    // The toolchain and the repository's packages are read-only inside; the scratch copy is the only thing the code can write.
    const policy = { scratch, readOnly: [...new Set([toolchain, nodeModules, ...toolchainDirs(toolchain, [tsc, vitest])])] };
    const run = (args: string[]) => runSandboxed({ args, sandbox, policy, timeoutMs, outputCap: cap, signal: options.signal });
    // A JavaScript repository (no TypeScript among the files, no tsconfig) has no typecheck to run.
    const checked = typescript || repo.tsconfig !== undefined;
    const [typecheck, testRun] = await Promise.all([
      checked ? run([tsc, '-p', 'tsconfig.json', '--pretty', 'false']) : Promise.resolve(undefined),
      repo.runner === 'node:test'
        ? run(['--test', '--test-reporter=tap', ...tests])
        : run([vitest, 'run', '--config', VITEST_CONFIG, '--configLoader', 'runner', '--reporter=json', `--outputFile=${results}`]),
    ]);
    const typecheckResult = typecheck
      ? {
          ok: typecheck.code === 0,
          errors: (typecheck.output.match(/error TS\d+/g) ?? []).length,
          output: typecheck.output,
          under: repo.tsconfig !== undefined ? "the repository's tsconfig.json" : 'strict mode',
        }
      : { ok: true, errors: 0, output: '', skipped: 'JavaScript: the repository has no tsconfig.json and the files no types' };
    const report =
      repo.runner === 'node:test'
        ? parseTapSummary(testRun.output)
        : await readFile(results, 'utf8').then(parseVitestReport, () => undefined);
    if (!report) {
      const why = testRun.timedOut ? `${repo.runner} did not finish within ${timeoutMs} ms` : `${repo.runner} reported no results (exit ${testRun.code}): ${testRun.output.slice(-2000)}`;
      return { ran: false, typecheck: typecheckResult, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: Date.now() - started, notRun: why, sandbox, runner: repo.runner };
    }
    const workingTree = options.workingTree ? { workingTree: { copied: options.workingTree.files.length, skipped: options.workingTree.skipped } } : {};
    return { ran: true, typecheck: typecheckResult, ...report, durationMs: Date.now() - started, sandbox, runner: repo.runner, ...workingTree };
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

/**
 * The counts of `node --test --test-reporter=tap`: its closing `# pass`, `# fail`, `# skipped`
 * and `# todo` lines, and the failing tests by name (a suite whose tests failed is not counted
 * again). Undefined when the run ended before the summary.
 */
export function parseTapSummary(output: string): Pick<GeneratedTestRun, 'passed' | 'failed' | 'skipped' | 'failures'> | undefined {
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

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    'Run the tests staged in this run the way the repository runs its own: the repository\'s working tree (git\'s tracked and ' +
    'untracked files, without node_modules, .env files and files over 1 MiB) and the staged files over it are copied to a scratch ' +
    'directory with the repository\'s package.json type and tsconfig, typechecked with the installed TypeScript and run ' +
    'with the repository\'s runner (vitest or node:test), inside an OS sandbox (no network, nothing outside the scratch ' +
    'copy and the installed packages). Returns JSON with the typecheck result and the pass, fail and skip counts the runner reported; ' +
    'those counts are recorded by the engine and are what the report and gates use.',
  input: z.object({
    timeoutSeconds: z.number().int().min(5).max(600).default(120).describe('Kill the run after this many seconds'),
  }),
  describe: () => 'staged tests',
  async run(input, context) {
    const files = context.staging.files().map((file) => file.path);
    const unsafe = context.unsafeRunTests ?? false;
    // The repository as it is (an integration applied earlier, the code the tests import), minus what this run removes.
    const workingTree = await selectWorkingTree(context.workspace, (file) => context.staging.isRemoved(file));
    const result = await runGeneratedTests({
      sourceDir: context.staging.filesDir,
      workspace: context.workspace,
      files,
      ...(workingTree ? { workingTree } : {}),
      timeoutMs: input.timeoutSeconds * 1000,
      signal: context.signal,
      unsafe,
    });
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
