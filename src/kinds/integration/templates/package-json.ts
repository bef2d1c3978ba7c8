import type { ServiceEntry } from '../catalog/schema.js';
import type { DetectedStack } from '../stack/detect.js';
import { testDependencies } from './test-imports.js';

/**
 * What the generated code imports at run time, with the versions it is written for (zod 4:
 * `z.looseObject`). A database or storage connection also needs its driver, named in the docs.
 */
export const RUNTIME_DEPENDENCIES: Readonly<Record<string, string>> = { zod: '^4.1.0' };

/**
 * The repository's package.json with the integration's dependencies and scripts added by key:
 * what is there is kept (a version the team pinned is not changed), only what is missing is
 * added, in the file's own indentation. Undefined when there is no package.json to edit, or
 * nothing to add. Apply merges it by key like any other edit of a shared file.
 */
export function packageJsonEdit(original: string | undefined, service: ServiceEntry, stack: DetectedStack, testDir: string): string | undefined {
  if (original === undefined) return undefined;
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(original) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const record = (key: string) => (pkg[key] && typeof pkg[key] === 'object' ? (pkg[key] as Record<string, string>) : undefined);
  const present = { ...record('devDependencies'), ...record('dependencies') };
  const dependencies = { ...record('dependencies') };
  for (const [name, version] of Object.entries(RUNTIME_DEPENDENCIES)) if (!Object.hasOwn(present, name)) dependencies[name] = version;
  const devDependencies = { ...record('devDependencies') };
  for (const [name, version] of Object.entries(testDependencies(stack.testRunner, stack.language))) if (!Object.hasOwn(present, name)) devDependencies[name] = version;
  const scripts = { ...record('scripts') };
  const runner = { vitest: 'vitest run', jest: 'jest', 'node:test': 'node --test', mocha: 'mocha', none: undefined }[stack.testRunner];
  const script = `integration:${service.id}:test`;
  // vitest and jest take a path prefix; node --test and mocha take the files.
  const target = stack.testRunner === 'vitest' || stack.testRunner === 'jest' ? `${testDir}/${service.className}` : `${testDir}/${service.className}*.test.${stack.language === 'javascript' ? 'js' : 'ts'}`;
  if (runner && !Object.hasOwn(scripts, script)) scripts[script] = `${runner} ${target}`;
  const next = {
    ...pkg,
    ...(Object.keys(dependencies).length ? { dependencies } : {}),
    ...(Object.keys(devDependencies).length ? { devDependencies } : {}),
    ...(Object.keys(scripts).length ? { scripts } : {}),
  };
  const indent = /^\{\s*\n([ \t]+)"/.exec(original)?.[1] ?? '  ';
  const text = `${JSON.stringify(next, null, indent)}\n`;
  return text === original || JSON.stringify(next) === JSON.stringify(pkg) ? undefined : text;
}
