import { z } from 'zod';

/** What an integration is generated for: the user's repository as found, not as assumed. */
export const DetectedStack = z.object({
  language: z.enum(['typescript', 'javascript']),
  moduleSystem: z.enum(['esm', 'commonjs']),
  /** Where the sources live: `src`, `lib`, `app`, or `.` for the repository root. */
  sourceRoot: z.string(),
  framework: z.enum(['express', 'fastify', 'hono', 'next-app', 'nestjs', 'none']),
  testRunner: z.enum(['vitest', 'jest', 'node:test', 'mocha', 'none']),
  packageManager: z.enum(['npm', 'pnpm', 'yarn', 'bun']),
  /** Relative imports carry `.js` (NodeNext ESM) or no extension (bundler, CommonJS). */
  importExtension: z.enum(['.js', 'none']),
  /** Path aliases from tsconfig `paths`, such as `@/*` -> `src/*`. */
  pathAliases: z.record(z.string(), z.string()),
  /** The repository's own commands, from package.json scripts. */
  testCommand: z.string().optional(),
  typecheckCommand: z.string().optional(),
});
export type DetectedStack = z.infer<typeof DetectedStack>;

/** What detection reads: package.json, tsconfig.json and the file list (lockfiles, top-level sources). */
export interface StackFacts {
  packageJson?: string | undefined;
  tsconfig?: string | undefined;
  files: readonly string[];
}

/** The stack assumed when nothing is known: the layout the templates were first written for. */
export const DEFAULT_STACK: DetectedStack = {
  language: 'typescript',
  moduleSystem: 'esm',
  sourceRoot: 'src',
  framework: 'none',
  testRunner: 'vitest',
  packageManager: 'npm',
  importExtension: '.js',
  pathAliases: {},
};

const PackageJson = z.looseObject({
  type: z.string().optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});

/** Detects the stack from what the repository holds. Pure: the facts are read by the caller. */
export function detectStack(facts: StackFacts): DetectedStack {
  const pkg = PackageJson.safeParse(parseJsonc(facts.packageJson)).data ?? {};
  const deps = { ...pkg.devDependencies, ...pkg.dependencies };
  const has = (name: string) => Object.hasOwn(deps, name);
  const files = new Set(facts.files);
  const tsconfig = z
    .looseObject({ compilerOptions: z.looseObject({ module: z.string().optional(), moduleResolution: z.string().optional(), paths: z.record(z.string(), z.array(z.string())).optional() }).optional() })
    .safeParse(parseJsonc(facts.tsconfig)).data;
  const language = facts.tsconfig !== undefined || has('typescript') || facts.files.some((f) => /\.tsx?$/.test(f)) ? 'typescript' : 'javascript';
  const moduleSystem = pkg.type === 'module' ? 'esm' : 'commonjs';
  const framework = has('next') ? 'next-app' : has('@nestjs/core') ? 'nestjs' : has('fastify') ? 'fastify' : has('hono') ? 'hono' : has('express') ? 'express' : 'none';
  const sourceRoot =
    framework === 'next-app'
      ? facts.files.some((f) => f.startsWith('src/app/')) ? 'src' : '.'
      : (['src', 'lib', 'app'].find((root) => facts.files.some((f) => f.startsWith(`${root}/`))) ?? (facts.files.some((f) => /^[^/]+\.(?:[cm]?[jt]s)$/.test(f) && !/\.config\./.test(f)) ? '.' : 'src'));
  const test = pkg.scripts?.test;
  const testRunner = has('vitest') || /\bvitest\b/.test(test ?? '') ? 'vitest' : has('jest') || /\bjest\b/.test(test ?? '') ? 'jest' : has('mocha') ? 'mocha' : /\bnode\s+(?:-\S+(?:\s+(?!-)\S+)?\s+)*--test\b/.test(test ?? '') ? 'node:test' : 'none';
  const packageManager = files.has('pnpm-lock.yaml') ? 'pnpm' : files.has('yarn.lock') ? 'yarn' : files.has('bun.lockb') || files.has('bun.lock') ? 'bun' : 'npm';
  const resolution = `${tsconfig?.compilerOptions?.moduleResolution ?? ''} ${tsconfig?.compilerOptions?.module ?? ''}`.toLowerCase();
  const importExtension = moduleSystem === 'esm' && !resolution.includes('bundler') && framework !== 'next-app' ? '.js' : 'none';
  const pathAliases = Object.fromEntries(Object.entries(tsconfig?.compilerOptions?.paths ?? {}).flatMap(([alias, targets]) => (targets[0] ? [[alias, targets[0]]] : [])));
  const typecheck = Object.entries(pkg.scripts ?? {}).find(([name, command]) => name === 'typecheck' || /\btsc\b/.test(command))?.[0];
  return {
    language,
    moduleSystem,
    sourceRoot,
    framework,
    testRunner,
    packageManager,
    importExtension,
    pathAliases,
    ...(test ? { testCommand: `${packageManager} test` } : {}),
    ...(typecheck ? { typecheckCommand: `${packageManager} run ${typecheck}` } : {}),
  };
}

/** One line for notes, learnings and agents' prompts. */
export function describeStack(stack: DetectedStack): string {
  const framework = stack.framework === 'none' ? 'no web framework (a plain node:http handler)' : stack.framework === 'next-app' ? 'Next.js App Router' : stack.framework;
  return `${stack.language === 'typescript' ? 'TypeScript' : 'JavaScript'} (${stack.moduleSystem === 'esm' ? 'ESM' : 'CommonJS'}), sources in ${stack.sourceRoot === '.' ? 'the repository root' : `${stack.sourceRoot}/`}, ${framework}, tests with ${stack.testRunner}, ${stack.packageManager}, relative imports ${stack.importExtension === '.js' ? 'with .js' : 'without an extension'}${Object.keys(stack.pathAliases).length ? `, aliases ${Object.keys(stack.pathAliases).join(', ')}` : ''}`;
}

/** JSON with the comments and trailing commas tsconfig files allow; undefined when it does not parse. */
function parseJsonc(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, s: string | undefined) => s ?? '').replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}
