import { realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * orchestrate's own TypeScript loader for Node, used by `run_tests` when the repository's tests
 * are TypeScript and it has no loader of its own installed (tsx, ts-node).
 *
 * Why our own: Node 20, which orchestrate supports, cannot run TypeScript (`--experimental-strip-types`
 * came in Node 22.6), and tsx or ts-node are not ours to install into the user's repository. sucrase is
 * already orchestrate's dependency (fit-to-stack.ts strips types with it): it removes exactly the
 * type syntax, and with Node 20's `module.register` hooks the loader is the few lines below. ESM
 * `.ts` files are transformed in the `load` hook; a CommonJS `require()` of a `.ts` file does not
 * pass through those hooks in Node 20, so sucrase's require hook (pirates) takes it. The resolve
 * hook finds `./x.ts` for NodeNext's `./x.js` and for a bundler's extensionless `./x`.
 *
 * Types are not checked here: `run_tests` typechecks the same files with tsc beside the run.
 */
const HOOKS = `import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const { transform } = createRequire(SUCRASE)('sucrase');
const TS = /\\.[cm]?ts$/;
let packageType = 'commonjs';

export function initialize(data) {
  packageType = data.type;
}

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!context.parentURL || !/^\\.{1,2}\\//.test(specifier)) throw error;
    for (const candidate of [specifier.replace(/\\.([cm]?)js$/, '.$1ts'), specifier + '.ts', specifier + '/index.ts']) {
      const url = new URL(candidate, context.parentURL);
      if (TS.test(url.pathname) && existsSync(url)) return { url: url.href, shortCircuit: true };
    }
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const file = fileURLToPath(url);
  const format = file.endsWith('.mts') ? 'module' : file.endsWith('.cts') || packageType !== 'module' ? 'commonjs' : 'module';
  // CommonJS is left to Node's require, where sucrase's require hook transforms it.
  if (format === 'commonjs') return { format, shortCircuit: true };
  const { code } = transform(await readFile(file, 'utf8'), { transforms: ['typescript'], disableESTransforms: true, preserveDynamicImport: true, filePath: file });
  return { format, source: code, shortCircuit: true };
}
`;

const REGISTER = `import { createRequire, register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url, { data: { type: PACKAGE_TYPE } });
const { addHook } = createRequire(SUCRASE)('sucrase/dist/register');
for (const extension of ['.ts', '.cts']) addHook(extension, { transforms: ['imports', 'typescript'], disableESTransforms: true });
`;

/** The sucrase package orchestrate's loader runs on, to be visible read-only inside the sandbox. */
export function sucraseDir(): string {
  return realpathSync(path.dirname(require.resolve('sucrase/package.json')));
}

/**
 * Writes the loader into `dir` (inside the scratch copy) for a package of the given `type`, and
 * returns the file to pass to `node --import`.
 */
export async function writeTypeScriptLoader(dir: string, packageType: string | undefined): Promise<string> {
  await mkdir(dir, { recursive: true });
  const sucrase = JSON.stringify(path.join(sucraseDir(), 'package.json'));
  await writeFile(path.join(dir, 'typescript-hooks.mjs'), HOOKS.replace('SUCRASE', sucrase));
  const register = path.join(dir, 'typescript-loader.mjs');
  await writeFile(register, REGISTER.replace('SUCRASE', sucrase).replace('PACKAGE_TYPE', JSON.stringify(packageType ?? 'commonjs')));
  return register;
}
