import { sucrase } from '../../../runtime/lazy-modules.js';
import type { DetectedStack } from '../stack/detect.js';
import { testImports, VITEST_IMPORT } from './test-imports.js';

type Files = Array<[path: string, content: string]>;

/** A generated path as it lands in the repository: `.js` in a JavaScript one. */
export function pathForStack(file: string, stack: DetectedStack): string {
  return stack.language === 'javascript' ? file.replace(/\.ts$/, '.js') : file;
}

/**
 * The generated TypeScript, fitted to the repository found: tests import from its runner,
 * relative imports lose their `.js` where its resolution wants none (bundlers, Next.js), and a
 * JavaScript repository gets JavaScript, as ESM or CommonJS (`require`, `module.exports`) as
 * detected. The types are stripped by sucrase, not by hand: it removes exactly the TypeScript
 * syntax (types, `import type`, parameter properties) and leaves the rest of each line as it was
 * written, so the JavaScript reads like the TypeScript the catalog's tests check; its `imports`
 * transform is the CommonJS conversion Jest's own Babel preset would make.
 */
export function fitToStack(files: Files, stack: DetectedStack): Files {
  return files.map(([file, content]): [string, string] => {
    if (!file.endsWith('.ts')) return [file, content];
    let text = content;
    if (file.endsWith('.test.ts')) text = text.replace(VITEST_IMPORT, testImports(stack.testRunner));
    if (stack.importExtension === 'none') text = text.replace(/(from '\.{1,2}\/[^']*?)\.js'/g, "$1'");
    return stack.language === 'javascript' ? [pathForStack(file, stack), toJavaScript(text, stack.moduleSystem)] : [file, text];
  });
}

/** TypeScript to JavaScript, ESM as it is or CommonJS. */
export function toJavaScript(source: string, moduleSystem: DetectedStack['moduleSystem']): string {
  const { code } = sucrase().transform(source, {
    transforms: moduleSystem === 'commonjs' ? ['typescript', 'imports'] : ['typescript'],
    // Node 20 runs today's syntax: only the types go.
    disableESTransforms: true,
    preserveDynamicImport: true,
  });
  // sucrase keeps each statement on its line, leaving blank lines where the types were: one is enough.
  return code.replace(/^[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n');
}
