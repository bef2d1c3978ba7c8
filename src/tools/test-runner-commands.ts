import { realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installedScript, isInstalled, type RepositorySetup } from './repository-test-setup.js';
import { parseJestJsonReport, parseMochaJsonReport, parseTapSummary, type TestCounts } from './test-reports.js';
import { sucraseDir, writeTypeScriptLoader } from './typescript-loader.js';

const require = createRequire(import.meta.url);

/** How one runner runs the staged tests in the scratch project. */
export interface RunnerCommand {
  /** Node's arguments: its flags, the runner's script and the runner's arguments. */
  args: string[];
  /** Directories the command reads beyond the scratch copy and the node_modules (the runner, the loader), mounted read-only. */
  readOnly: string[];
  /** The counts the runner reported, read after it exits; undefined when it reported none. */
  counts: (output: string) => Promise<TestCounts | undefined>;
  /** How the TypeScript tests were run, when they are TypeScript: whose loader or transform. */
  typescript?: string;
}

/** A command to run, or why the tests cannot run under the repository's runner. */
export type RunnerPreparation = { command: RunnerCommand } | { notRun: string };

/** The scratch project's vitest config, named apart from any the repository's copied tree holds. */
const VITEST_CONFIG = '.orchestrate-vitest.config.mjs';
/** The repository's mocha config without its `spec`, so only the staged tests run. */
const MOCHA_CONFIG = '.orchestrate-mocharc.cjs';
/** Generous for tests that start a server on 127.0.0.1; the runners' defaults (2 s, 5 s) are not. */
const TEST_TIMEOUT_MS = 15_000;

/** Loaders a repository names in its test script or runner config to run TypeScript. */
const NAMED_LOADER = /(?:^|[\s'"=[,])(tsx|ts-node(?:\/\S*)?|@swc-node\/register|@swc\/register|esbuild-register|@babel\/register|sucrase\/register)\b/;
/** Node flags of a test script that load code before the tests (`--import tsx`, `-r ts-node/register`). */
const LOADER_FLAG = /(?:^|\s)(--import|--loader|--experimental-loader|--require|-r)(?:=|\s+)(['"]?)([^\s'"]+)\2/g;

/** jest transforms that run TypeScript; babel-jest does with @babel/preset-typescript. */
const JEST_TS_TRANSFORMS = ['ts-jest', '@swc/jest', 'esbuild-jest', 'jest-esbuild', '@sucrase/jest-plugin'];

export interface RunnerContext {
  scratch: string;
  /** The staged test files, relative to the scratch project. */
  tests: string[];
  /** The package.json `type` of the scratch project. */
  type: string | undefined;
  /** orchestrate's own vitest, for a repository that runs vitest or says nothing. */
  vitest: string;
}

/** Prepares the repository's runner for the staged tests, or says why it cannot run them. */
export async function prepareRunner(setup: RepositorySetup, context: RunnerContext): Promise<RunnerPreparation> {
  switch (setup.runner) {
    case 'vitest':
      return { command: await vitestCommand(context) };
    case 'node:test':
      return { command: await nodeTestCommand(setup, context) };
    case 'jest':
      return jestCommand(setup, context);
    case 'mocha':
      return mochaCommand(setup, context);
  }
}

const isTypeScript = (file: string) => /\.[cm]?ts$/.test(file);

async function vitestCommand(context: RunnerContext): Promise<RunnerCommand> {
  const results = path.join(context.scratch, '.vitest-results.json');
  // Named apart and passed with --config: a vitest.config.ts of the repository's copied tree would come first otherwise.
  await writeFile(
    path.join(context.scratch, VITEST_CONFIG),
    `export default { cacheDir: '.vite-cache', test: { include: ${JSON.stringify(context.tests)}, testTimeout: ${TEST_TIMEOUT_MS} } };\n`,
  );
  return {
    args: [context.vitest, 'run', '--config', VITEST_CONFIG, '--configLoader', 'runner', '--reporter=json', `--outputFile=${results}`],
    readOnly: [],
    counts: () => readReport(results, parseJestJsonReport),
  };
}

async function nodeTestCommand(setup: RepositorySetup, context: RunnerContext): Promise<RunnerCommand> {
  const loader = context.tests.some(isTypeScript) ? await typescriptLoader(setup, context, 'node:test') : undefined;
  return {
    args: [...(loader?.nodeArgs ?? []), '--test', '--test-reporter=tap', ...context.tests],
    readOnly: loader?.readOnly ?? [],
    counts: (output) => Promise.resolve(parseTapSummary(output)),
    ...(loader ? { typescript: loader.describe } : {}),
  };
}

async function jestCommand(setup: RepositorySetup, context: RunnerContext): Promise<RunnerPreparation> {
  const jest = installedScript(setup, 'jest', 'bin/jest.js');
  if (!jest) return { notRun: notInstalled(setup, 'jest') };
  let typescript: string | undefined;
  if (context.tests.some(isTypeScript)) {
    const transform = JEST_TS_TRANSFORMS.find((name) => isInstalled(setup, name)) ?? (isInstalled(setup, '@babel/preset-typescript') ? 'babel-jest with @babel/preset-typescript' : undefined);
    if (!transform) {
      return {
        notRun:
          "the tests are TypeScript and the repository's jest has no TypeScript transform installed (ts-jest, @swc/jest, or babel-jest with @babel/preset-typescript); " +
          'install one and set it in its jest config (for example `npm install --save-dev ts-jest` and `preset: "ts-jest"`), then run_tests again',
      };
    }
    typescript = `the repository's jest transform (${transform} installed; its jest config decides)`;
  }
  const results = path.join(context.scratch, '.jest-results.json');
  // jest runs ES modules only under Node's VM modules flag, as an ESM repository's test script passes it.
  const esm = context.type === 'module' || /--experimental-vm-modules/.test(setup.testScript);
  return {
    command: {
      args: [
        ...(esm ? ['--experimental-vm-modules'] : []),
        jest,
        '--ci',
        '--no-watchman',
        '--runInBand',
        `--testTimeout=${TEST_TIMEOUT_MS}`,
        '--json',
        `--outputFile=${results}`,
        '--runTestsByPath',
        ...context.tests.map((test) => path.join(context.scratch, test)),
      ],
      readOnly: [packageDir(jest)],
      counts: async (output) => {
        const counts = await readReport(results, parseJestJsonReport);
        // The repository's roots, testMatch or testPathIgnorePatterns leave them out: its own `jest` would not run them either.
        if (counts && counts.passed + counts.failed + counts.skipped === 0 && /No tests found/.test(output)) return undefined;
        return counts;
      },
      ...(typescript ? { typescript } : {}),
    },
  };
}

async function mochaCommand(setup: RepositorySetup, context: RunnerContext): Promise<RunnerPreparation> {
  const mocha = installedScript(setup, 'mocha', 'bin/mocha.js');
  if (!mocha) return { notRun: notInstalled(setup, 'mocha') };
  const rc = setup.configFiles.find((file) => file.startsWith('.mocharc.'));
  const configArgs: string[] = [];
  if (rc) {
    // mocha adds the config's `spec` to the files it is given: the repository's whole suite would run.
    const loadConfig = JSON.stringify(path.join(path.dirname(path.dirname(mocha)), 'lib', 'cli', 'config.js'));
    await writeFile(
      path.join(context.scratch, MOCHA_CONFIG),
      `const { spec, _, ...options } = require(${loadConfig}).loadConfig(${JSON.stringify(path.join(context.scratch, rc))});\nmodule.exports = options;\n`,
    );
    configArgs.push('--config', MOCHA_CONFIG);
  }
  const loader = context.tests.some(isTypeScript) ? await typescriptLoader(setup, context, 'mocha') : undefined;
  const results = path.join(context.scratch, '.mocha-results.json');
  return {
    command: {
      args: [
        ...(loader?.nodeArgs ?? []),
        mocha,
        ...configArgs,
        ...(loader?.runnerArgs ?? []),
        '--reporter',
        'json',
        '--reporter-option',
        `output=${results}`,
        '--timeout',
        String(TEST_TIMEOUT_MS),
        '--exit',
        ...context.tests,
      ],
      readOnly: [packageDir(mocha), ...(loader?.readOnly ?? [])],
      // A mocha before 9.2 ignores `output` and prints the report.
      counts: async (output) => (await readReport(results, parseMochaJsonReport)) ?? parseMochaJsonReport(output.slice(output.indexOf('{\n  "stats"'))),
      ...(loader ? { typescript: loader.describe } : {}),
    },
  };
}

interface Loader {
  nodeArgs: string[];
  runnerArgs: string[];
  readOnly: string[];
  describe: string;
}

/**
 * How TypeScript tests run under node --test or mocha, in the repository's way first: the loader
 * its test script passes (`--import tsx`, `-r ts-node/register`) or its mocha config names; else
 * the one it has installed (tsx, then ts-node); else orchestrate's own (typescript-loader.ts).
 */
async function typescriptLoader(setup: RepositorySetup, context: RunnerContext, runner: 'node:test' | 'mocha'): Promise<Loader> {
  const flags = [...setup.testScript.matchAll(LOADER_FLAG)].filter((match) => NAMED_LOADER.test(` ${match[3]!}`));
  if (flags.length) {
    const args = flags.flatMap((match) => [match[1] === '-r' ? '--require' : match[1]!, match[3]!]);
    // mocha takes --require itself and hands Node's own flags to the Node it starts.
    return { nodeArgs: runner === 'node:test' ? args : [], runnerArgs: runner === 'mocha' ? args : [], readOnly: [], describe: `the repository's loader, as its test script passes it (${args.join(' ')})` };
  }
  if (runner === 'mocha') {
    const configs = await Promise.all(setup.configFiles.filter((file) => file.startsWith('.mocharc.')).map((file) => readFile(path.join(context.scratch, file), 'utf8').catch(() => '')));
    const named = NAMED_LOADER.exec([...configs, JSON.stringify(setup.packageKeys.mocha ?? '')].join('\n'))?.[1];
    if (named) return { nodeArgs: [], runnerArgs: [], readOnly: [], describe: `the repository's loader, as its mocha config names it (${named})` };
  }
  if (isInstalled(setup, 'tsx')) return { nodeArgs: ['--import', 'tsx'], runnerArgs: [], readOnly: [], describe: "the repository's tsx (--import tsx)" };
  if (isInstalled(setup, 'ts-node')) {
    const nodeArgs = context.type === 'module' ? ['--loader', 'ts-node/esm'] : ['--require', 'ts-node/register'];
    return { nodeArgs, runnerArgs: [], readOnly: [], describe: `the repository's ts-node (${nodeArgs.join(' ')})` };
  }
  const loader = await writeTypeScriptLoader(path.join(context.scratch, '.orchestrate'), context.type);
  const sucrase = sucraseDir();
  const pirates = realpathSync(path.dirname(createRequire(path.join(sucrase, 'package.json')).resolve('pirates/package.json')));
  return {
    nodeArgs: ['--import', loader],
    runnerArgs: [],
    readOnly: [sucrase, pirates],
    describe: "orchestrate's sucrase loader: the repository has no TypeScript loader installed (tsx, ts-node), so its own test command needs one",
  };
}

function notInstalled(setup: RepositorySetup, runner: string): string {
  return setup.nodeModules
    ? `the repository runs its tests with ${runner}, which is not installed in its node_modules; install it (npm install --save-dev ${runner}) and run_tests again`
    : `the repository runs its tests with ${runner} and has no node_modules; install its dependencies (npm install) and run_tests again`;
}

/** The package directory of a package's script (…/node_modules/jest for …/jest/bin/jest.js). */
function packageDir(script: string): string {
  return path.dirname(path.dirname(script));
}

async function readReport(file: string, parse: (text: string) => TestCounts | undefined): Promise<TestCounts | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parse(text);
}

/** orchestrate's vitest script. */
export function toolchainVitest(): string {
  return realpathSync(path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs'));
}
