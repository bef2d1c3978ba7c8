import { describe, expect, it } from 'vitest';
import { findService } from '../../../src/kinds/integration/catalog/catalog.js';
import { DEFAULT_STACK, detectStack, describeStack } from '../../../src/kinds/integration/stack/detect.js';
import { packageJsonEdit } from '../../../src/kinds/integration/templates/package-json.js';

const pkg = (value: Record<string, unknown>) => JSON.stringify(value);

describe('detectStack', () => {
  it('finds a TypeScript ESM Express repository with vitest, pnpm and NodeNext imports', () => {
    const stack = detectStack({
      packageJson: pkg({ type: 'module', scripts: { test: 'vitest run', typecheck: 'tsc --noEmit' }, dependencies: { express: '^5' }, devDependencies: { typescript: '^5', vitest: '^4' } }),
      tsconfig: '{ // comment\n "compilerOptions": { "module": "NodeNext", "paths": { "@/*": ["src/*"] }, }, }',
      files: ['pnpm-lock.yaml', 'src/server.ts'],
    });
    expect(stack).toEqual({
      language: 'typescript',
      moduleSystem: 'esm',
      sourceRoot: 'src',
      framework: 'express',
      testRunner: 'vitest',
      packageManager: 'pnpm',
      importExtension: '.js',
      pathAliases: { '@/*': 'src/*' },
      testCommand: 'pnpm test',
      typecheckCommand: 'pnpm run typecheck',
    });
    expect(describeStack(stack)).toBe('TypeScript (ESM), sources in src/, express, tests with vitest, pnpm, relative imports with .js, aliases @/*');
  });

  it('finds a plain CommonJS JavaScript repository with node:test and sources in lib/', () => {
    const stack = detectStack({ packageJson: pkg({ scripts: { test: 'node --test' } }), files: ['package-lock.json', 'lib/index.js'] });
    expect(stack).toMatchObject({ language: 'javascript', moduleSystem: 'commonjs', sourceRoot: 'lib', framework: 'none', testRunner: 'node:test', packageManager: 'npm', importExtension: 'none' });
  });

  it('finds Next.js App Router under src/app, Fastify, Hono, NestJS, jest, yarn and bun', () => {
    expect(detectStack({ packageJson: pkg({ dependencies: { next: '15', react: '19' } }), files: ['src/app/page.tsx', 'yarn.lock'] })).toMatchObject({ framework: 'next-app', sourceRoot: 'src', importExtension: 'none', packageManager: 'yarn' });
    expect(detectStack({ packageJson: pkg({ dependencies: { next: '15' } }), files: ['app/page.tsx'] })).toMatchObject({ framework: 'next-app', sourceRoot: '.' });
    expect(detectStack({ packageJson: pkg({ dependencies: { fastify: '5' }, devDependencies: { jest: '29' } }), files: ['bun.lock'] })).toMatchObject({ framework: 'fastify', testRunner: 'jest', packageManager: 'bun' });
    expect(detectStack({ packageJson: pkg({ dependencies: { hono: '4' } }), files: [] })).toMatchObject({ framework: 'hono', sourceRoot: 'src' });
    expect(detectStack({ packageJson: pkg({ dependencies: { '@nestjs/core': '11', express: '5' } }), files: [] })).toMatchObject({ framework: 'nestjs' });
  });

  it('finds node:test behind flags that take a value (node --import tsx --test)', () => {
    expect(detectStack({ packageJson: pkg({ scripts: { test: 'node --import tsx --test test/' } }), files: [] })).toMatchObject({ testRunner: 'node:test' });
    expect(detectStack({ packageJson: pkg({ scripts: { test: 'node --env-file=.env --test' } }), files: [] })).toMatchObject({ testRunner: 'node:test' });
    expect(detectStack({ packageJson: pkg({ scripts: { test: 'node scripts/test.js' } }), files: [] })).toMatchObject({ testRunner: 'none' });
  });
});

describe('packageJsonEdit: what the generated tests need under the runner', () => {
  const stripe = findService('stripe')!;
  const edit = (stack: Partial<typeof DEFAULT_STACK>) => JSON.parse(packageJsonEdit('{ "name": "shop" }', stripe, { ...DEFAULT_STACK, ...stack }, 'src/integrations/__tests__')!) as { devDependencies?: Record<string, string> };

  it('mocha in TypeScript gets expect and the types of its globals; in JavaScript only expect; jest neither', () => {
    expect(edit({ testRunner: 'mocha' }).devDependencies).toEqual({ expect: '^30.0.0', '@types/mocha': '^10.0.0' });
    expect(edit({ testRunner: 'mocha', language: 'javascript' }).devDependencies).toEqual({ expect: '^30.0.0' });
    expect(edit({ testRunner: 'node:test' }).devDependencies).toEqual({ expect: '^30.0.0' });
    expect(edit({ testRunner: 'jest' }).devDependencies).toBeUndefined();
  });
});
