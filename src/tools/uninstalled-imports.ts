import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** `from 'x'`, `import 'x'`, `import('x')` and `require('x')` of a bare specifier. */
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"./#~][^'"]*)['"]/g;

/**
 * The packages the code files (in `dir`) import that package.json declares but `nodeModules`
 * does not hold: code that cannot load until they are installed. Only declared packages are
 * counted, so a path alias or a builtin is never taken for a missing package.
 */
export async function uninstalledImports(dir: string, files: readonly string[], declared: readonly string[], nodeModules: string): Promise<string[]> {
  const wanted = new Set(declared);
  const missing = new Set<string>();
  for (const file of files) {
    if (!/\.[cm]?[jt]s$/.test(file)) continue;
    const text = await readFile(path.join(dir, ...file.split('/')), 'utf8').catch(() => '');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1]!;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      if (wanted.has(name) && !existsSync(path.join(nodeModules, name, 'package.json'))) missing.add(name);
    }
  }
  return [...missing].sort();
}
