import type { DetectedStack } from '../stack/detect.js';

/** The one line every generated test starts from: the templates are written for vitest. */
export const VITEST_IMPORT = /^import \{ describe, expect, it \} from 'vitest';$/m;

/**
 * Where `describe`, `it` and `expect` come from under the repository's runner. The tests use
 * only those three and expect's matchers (no fake timers, no mocks of the runner), so one body
 * runs under every runner: jest's `expect` is the one vitest copies, and node:test and mocha,
 * which have none, get it from the `expect` package (jest's, published alone).
 */
export function testImports(runner: DetectedStack['testRunner']): string {
  switch (runner) {
    case 'jest':
      return `import { describe, expect, it } from '@jest/globals';`;
    case 'node:test':
      return `import { describe, it } from 'node:test';\nimport { expect } from 'expect';`;
    case 'mocha':
      return `// describe and it are mocha's globals.\nimport { expect } from 'expect';`;
    default:
      return `import { describe, expect, it } from 'vitest';`;
  }
}

/**
 * The packages the tests need beyond the runner itself: `expect` where the runner has none, and
 * in TypeScript the types of mocha's globals (`describe`, `it`), which mocha does not ship.
 */
export function testDependencies(runner: DetectedStack['testRunner'], language: DetectedStack['language'] = 'typescript'): Record<string, string> {
  return {
    ...(runner === 'node:test' || runner === 'mocha' ? { expect: '^30.0.0' } : {}),
    ...(runner === 'mocha' && language === 'typescript' ? { '@types/mocha': '^10.0.0' } : {}),
  };
}
