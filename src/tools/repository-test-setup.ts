import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The test runners `run_tests` runs, each the way the repository runs it. */
export type TestRunnerName = 'vitest' | 'node:test' | 'jest' | 'mocha';

/** What the scratch project copies from the repository. */
export interface RepositorySetup {
  /** package.json `type`: `module`, or CommonJS when absent. */
  type: string | undefined;
  runner: TestRunnerName;
  /** The repository's tsconfig.json as written (JSON with comments), when it has one. */
  tsconfig: string | undefined;
  /** The repository's installed packages, when it has them. */
  nodeModules: string | undefined;
  /** package.json's `scripts.test`, whose flags (a loader, `--experimental-vm-modules`) the run follows. */
  testScript: string;
  /** The package.json keys runners and Node read (`jest`, `mocha`, `babel`, `imports`), carried into the scratch package.json. */
  packageKeys: Record<string, unknown>;
  /** The runner and transform config files at the repository's root (jest.config.js, .mocharc.yml, babel.config.js). */
  configFiles: string[];
  /** The packages package.json declares (dependencies and devDependencies). */
  declared: string[];
}

/** The setup without a repository: a strict ESM TypeScript project run with vitest. */
export const DEFAULT_SETUP: RepositorySetup = { type: 'module', runner: 'vitest', tsconfig: undefined, nodeModules: undefined, testScript: '', packageKeys: {}, configFiles: [], declared: [] };

/** The config files a runner or its transform reads from the project root. */
const CONFIG_FILE = /^(?:jest\.config\.[cm]?[jt]s|jest\.config\.json|\.mocharc\.(?:[cm]?js|ya?ml|jsonc?)|babel\.config\.[cm]?js|babel\.config\.json|\.babelrc(?:\.[cm]?js|\.json)?|\.swcrc)$/;

/** The package.json keys the scratch package.json carries. */
const PACKAGE_KEYS = ['jest', 'mocha', 'babel', 'imports'] as const;

/** The repository's runner: from its dependencies, else its test script; vitest when nothing says. */
export function runnerOf(packageJson: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> }): TestRunnerName {
  const deps = { ...packageJson.devDependencies, ...packageJson.dependencies };
  const test = packageJson.scripts?.test ?? '';
  if (Object.hasOwn(deps, 'vitest') || /\bvitest\b/.test(test)) return 'vitest';
  if (Object.hasOwn(deps, 'jest') || /\bjest\b/.test(test)) return 'jest';
  if (Object.hasOwn(deps, 'mocha') || /\bmocha\b/.test(test)) return 'mocha';
  if (/\bnode\s+(?:-\S+(?:\s+(?!-)\S+)?\s+)*--test\b/.test(test)) return 'node:test';
  return 'vitest';
}

/** Reads what the scratch project needs of the repository at `workspace`: only these files, nothing it runs. */
export async function repositorySetup(workspace: string): Promise<RepositorySetup> {
  const read = (file: string) => readFile(path.join(workspace, file), 'utf8').catch(() => undefined);
  // No package.json: the ESM layout the templates are written in.
  let pkg: Record<string, unknown> = { type: 'module' };
  try {
    pkg = JSON.parse((await read('package.json')) ?? '{"type":"module"}') as Record<string, unknown>;
  } catch {
    // An unreadable package.json says nothing: the defaults below.
  }
  const nodeModules = path.join(workspace, 'node_modules');
  const root = await readdir(workspace).catch(() => [] as string[]);
  const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Record<string, unknown>) : {};
  return {
    type: typeof pkg.type === 'string' ? pkg.type : undefined,
    runner: runnerOf(pkg as Parameters<typeof runnerOf>[0]),
    tsconfig: await read('tsconfig.json'),
    nodeModules: existsSync(nodeModules) ? realpathSync(nodeModules) : undefined,
    testScript: typeof scripts.test === 'string' ? scripts.test : '',
    packageKeys: Object.fromEntries(PACKAGE_KEYS.filter((key) => pkg[key] !== undefined).map((key) => [key, pkg[key]])),
    configFiles: root.filter((file) => CONFIG_FILE.test(file)).sort(),
    declared: declaredPackages(pkg),
  };
}

/** The names package.json declares in dependencies and devDependencies. */
export function declaredPackages(pkg: Record<string, unknown>): string[] {
  const names = (key: string) => (pkg[key] && typeof pkg[key] === 'object' ? Object.keys(pkg[key]) : []);
  return [...new Set([...names('dependencies'), ...names('devDependencies')])];
}

/** The script of an installed package of the repository, resolved out of a linked layout (pnpm); undefined when it is not installed. */
export function installedScript(setup: RepositorySetup, pkg: string, script: string): string | undefined {
  if (!setup.nodeModules) return undefined;
  const file = path.join(setup.nodeModules, pkg, script);
  return existsSync(file) ? realpathSync(file) : undefined;
}

/** Whether the repository has a package installed. */
export function isInstalled(setup: RepositorySetup, pkg: string): boolean {
  return setup.nodeModules !== undefined && existsSync(path.join(setup.nodeModules, pkg, 'package.json'));
}

/** Copies the repository's runner config files into the scratch project, where a copied working tree did not bring them. */
export async function copyConfigFiles(workspace: string, setup: RepositorySetup, scratch: string): Promise<void> {
  for (const file of setup.configFiles) {
    const target = path.join(scratch, file);
    if (existsSync(target)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(workspace, file), target);
  }
}
