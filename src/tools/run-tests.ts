import { realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { chooseSandbox, type SandboxKind, UNSAFE_RUN_TESTS_ENV } from './sandbox.js';
import { copyConfigFiles, declaredPackages, DEFAULT_SETUP, repositorySetup, type TestRunnerName } from './repository-test-setup.js';
import { runSandboxed } from './sandboxed-process.js';
import { prepareRunner, toolchainVitest } from './test-runner-commands.js';
import { defineTool } from './tool.js';
import { copyTsconfigChain } from './tsconfig-chain.js';
import { uninstalledImports } from './uninstalled-imports.js';
import { selectWorkingTree, type WorkingTreeSelection } from './working-tree-copy.js';

const require = createRequire(import.meta.url);

export type { TestRunnerName } from './repository-test-setup.js';
export { runnerOf } from './repository-test-setup.js';
export { parseTapSummary } from './test-reports.js';

/** What one run of the generated tests saw. Counts are the ones the runner reported, never estimates. */
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
  /** How TypeScript tests ran: the repository's loader or jest transform, or orchestrate's own loader (and why). */
  typescriptLoader?: string;
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

/**
 * Copies the files (over the repository's working tree, when given) into a scratch directory
 * laid out like the repository, typechecks them and what they import with the installed
 * TypeScript under the repository's tsconfig and the configs it extends (strict mode, and the
 * checks a demanding reviewer turns on, where there is none), and runs them with the
 * repository's runner (vitest, node:test, or its own installed jest or mocha, with its config)
 * and module system, both at once, each inside the OS sandbox (see sandbox.ts) with a timeout
 * and an output cap; no network install. TypeScript tests run with the repository's loader or
 * transform, or orchestrate's own loader under node --test and mocha (typescript-loader.ts).
 * Throws `SANDBOX_UNAVAILABLE` where there is no sandbox and `unsafe` is not set.
 */
export async function runGeneratedTests(options: RunGeneratedTestsOptions): Promise<GeneratedTestRun> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const cap = options.outputCap ?? 64 * 1024;
  const code = options.files.filter((file) => /\.(ts|mts|cts|js|mjs|cjs|json|sql)$/.test(file) && !file.startsWith('node_modules/'));
  const tests = code.filter((file) => /\.test\.[cm]?[jt]s$/.test(file));
  const empty = { ok: false, errors: 0, output: '' };
  if (tests.length === 0) {
    return { ran: false, typecheck: empty, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: 0, notRun: 'no test files (*.test.ts) among the staged files' };
  }
  const repo = options.workspace ? await repositorySetup(options.workspace) : DEFAULT_SETUP;
  const typescript = code.some((file) => /\.[cm]?ts$/.test(file));
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
    if (options.workspace) await copyConfigFiles(options.workspace, repo, scratch);
    // What the run's package.json edit adds is declared too, before the scratch package.json replaces it.
    const stagedPackage = code.includes('package.json') ? await readFile(path.join(scratch, 'package.json'), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>, () => ({})) : {};
    const declared = [...repo.declared, ...declaredPackages(stagedPackage)];
    const toolchain = realpathSync(path.dirname(path.dirname(require.resolve('typescript/package.json'))));
    // The repository's own packages when it has them installed (its zod, its runner's helpers), else the toolchain's.
    const nodeModules = repo.nodeModules ?? toolchain;
    await symlink(nodeModules, path.join(scratch, 'node_modules'), 'dir');
    await mkdir(path.join(scratch, '.tmp'));
    // TypeScript checked with the default strict tsconfig (NodeNext) is checked as ESM, as it is written.
    const type = repo.tsconfig === undefined && typescript ? 'module' : repo.type;
    // The keys the runners read (jest, mocha, babel) and Node's subpath imports; mocha's `spec` would add the repository's whole suite.
    const { mocha, ...keys } = repo.packageKeys;
    const mochaKey = mocha && typeof mocha === 'object' ? { mocha: Object.fromEntries(Object.entries(mocha).filter(([key]) => key !== 'spec')) } : {};
    await writeFile(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, ...(type ? { type } : {}), ...keys, ...mochaKey }));
    // The repository's tsconfig and the configs it extends, with only what makes it check these files and write nothing on top.
    const chain = repo.tsconfig !== undefined && options.workspace ? await copyTsconfigChain(options.workspace, scratch, repo.tsconfig) : undefined;
    if (chain) await writeFile(path.join(scratch, 'tsconfig.repository.json'), chain.text);
    // The staged TypeScript and what it imports: the rest of a copied working tree is the repository's own typecheck's business.
    const include = code.filter((file) => /\.[cm]?ts$/.test(file));
    const tsconfig = chain ? { extends: './tsconfig.repository.json', compilerOptions: { noEmit: true }, include, exclude: [] } : { ...TSCONFIG, include };
    await writeFile(path.join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const prepared = await prepareRunner(repo, { scratch, tests, type, vitest: toolchainVitest() });
    if ('notRun' in prepared) {
      return { ran: false, typecheck: empty, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: Date.now() - started, notRun: prepared.notRun, runner: repo.runner };
    }
    const missing = await uninstalledImports(scratch, code, declared, nodeModules);
    if (missing.length) {
      const notRun = `the staged code imports ${missing.join(', ')}, which package.json declares but the repository's node_modules does not hold; install ${missing.length > 1 ? 'them' : 'it'} (npm install) and run_tests again`;
      return { ran: false, typecheck: empty, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: Date.now() - started, notRun, runner: repo.runner };
    }
    const { command } = prepared;
    const tsc = realpathSync(require.resolve('typescript/bin/tsc'));
    // The toolchain and the repository's packages are read-only inside; the scratch copy is the only thing the code can write.
    const readOnly = [toolchain, nodeModules, ...command.readOnly, ...toolchainDirs(toolchain, [tsc, command.args.find((arg) => arg.endsWith('vitest.mjs')) ?? tsc])];
    const policy = { scratch, readOnly: [...new Set(readOnly)] };
    const run = (args: string[]) => runSandboxed({ args, sandbox, policy, timeoutMs, outputCap: cap, signal: options.signal });
    // A JavaScript repository (no TypeScript among the files, no tsconfig) has no typecheck to run.
    const checked = typescript || chain !== undefined;
    const [typecheck, testRun] = await Promise.all([checked ? run([tsc, '-p', 'tsconfig.json', '--pretty', 'false']) : Promise.resolve(undefined), run(command.args)]);
    const under = chain ? `the repository's tsconfig.json${chain.missing.length ? ` (not copied, so not applied: its extends ${chain.missing.join(', ')})` : ''}` : 'strict mode';
    const typecheckResult = typecheck
      ? { ok: typecheck.code === 0, errors: (typecheck.output.match(/error TS\d+/g) ?? []).length, output: typecheck.output, under }
      : { ok: true, errors: 0, output: '', skipped: 'JavaScript: the repository has no tsconfig.json and the files no types' };
    const counts = testRun.timedOut ? undefined : await command.counts(testRun.output);
    const ranWith = { sandbox, runner: repo.runner, ...(command.typescript ? { typescriptLoader: command.typescript } : {}) };
    if (!counts) {
      const why = testRun.timedOut
        ? `${repo.runner} did not finish within ${timeoutMs} ms`
        : repo.runner === 'jest' && /No tests found/.test(testRun.output)
          ? `the repository's jest config (its roots, testMatch or testPathIgnorePatterns) selects none of the staged tests (${tests.join(', ')}), so its own jest would not run them either`
          : `${repo.runner} reported no results (exit ${testRun.code}): ${testRun.output.slice(-2000)}`;
      return { ran: false, typecheck: typecheckResult, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: Date.now() - started, notRun: why, ...ranWith };
    }
    const workingTree = options.workingTree ? { workingTree: { copied: options.workingTree.files.length, skipped: options.workingTree.skipped } } : {};
    return { ran: true, typecheck: typecheckResult, ...counts, durationMs: Date.now() - started, ...ranWith, ...workingTree };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Where the tools really live, when a package manager linked them out of node_modules (pnpm). */
function toolchainDirs(nodeModules: string, scripts: string[]): string[] {
  return scripts.filter((script) => !script.startsWith(`${nodeModules}/`)).map((script) => path.dirname(path.dirname(script)));
}

export const runTestsTool = defineTool({
  name: 'run_tests',
  description:
    'Run the tests staged in this run the way the repository runs its own: the repository\'s working tree (git\'s tracked and ' +
    'untracked files, without node_modules, .env files and files over 1 MiB) and the staged files over it are copied to a scratch ' +
    'directory with the repository\'s package.json type and tsconfig, typechecked with the installed TypeScript and run ' +
    'with the repository\'s runner (vitest, node:test, or its installed jest or mocha with its config), inside an OS sandbox (no network, nothing outside the scratch ' +
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
