#!/usr/bin/env node
/**
 * Part of `npm run build`, after tsc: dist/ imports zod from one file, dist/vendor/zod.js, that
 * holds the parts of zod orchestrate uses, instead of from the zod package's 95 modules.
 *
 * Why: importing the package for a workflow of code functions cost about 350 ms of CPU over an
 * empty node, and zod was half of it (171 ms loading its 95 files as ES modules, measured
 * alone); the same zod as one file, tree-shaken to what orchestrate calls, costs about 35 ms
 * (issue 21, "a lean import"; bench/run.mjs measures the cold start). Our own modules stay as
 * tsc wrote them (one file each, source maps intact): only their `import { z } from 'zod'` line
 * is pointed at the vendored file, so the line count does not change.
 *
 * How: every `z.<name>` our dist uses is collected, kept if zod exports it at run time, and
 * rolldown bundles those exports of the installed zod into one file exporting `z`. Types still
 * come from the zod package (the .d.ts files import it), which stays a dependency; a schema a
 * user passes in (a task's `result`) is called through its own methods, whichever copy made it.
 * Any other form of import from zod fails the build, so a new one is handled here on purpose.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';
import * as zod from 'zod';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const vendor = path.join(dist, 'vendor', 'zod.js');
const IMPORT = "import { z } from 'zod'";

const files = readdirSync(dist, { recursive: true })
  .filter((file) => file.endsWith('.js') && !file.startsWith(`vendor${path.sep}`))
  .map((file) => path.join(dist, file));

/** The module's import of zod, parsed (a template that writes an import of zod is text, not one). */
function zodImport(file, text) {
  const found = parseAst(text, null, file).body.filter((node) => /^(Import|ExportNamed|ExportAll)Declaration$/.test(node.type) && /^zod(\/|$)/.test(node.source?.value ?? ''));
  if (found.length === 0) return undefined;
  const [node] = found;
  const only = found.length === 1 && node.type === 'ImportDeclaration' && node.specifiers.length === 1 && node.specifiers[0].type === 'ImportSpecifier';
  if (!only || node.specifiers[0].imported.name !== 'z' || node.specifiers[0].local.name !== 'z' || node.source.value !== 'zod') {
    throw new Error(`${path.relative(root, file)}: "${text.slice(node.start, node.end)}": only ${IMPORT} is vendored (scripts/vendor-zod.mjs)`);
  }
  return node.source;
}

const used = new Set();
const importers = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const source = zodImport(file, text);
  if (!source) continue;
  importers.push({ file, text, source });
  for (const match of text.matchAll(/(?<![\w$.])z\s*\.\s*([A-Za-z_$][\w$]*)/g)) used.add(match[1]);
}
const names = [...used].filter((name) => zod.z[name] !== undefined).sort();
if (!names.length) throw new Error('no use of zod found in dist/: run tsc first');

const entry = path.join(dist, 'vendor', 'zod-entry.mjs');
mkdirSync(path.dirname(entry), { recursive: true });
// Aliased: some names (enum, null) are reserved words.
writeFileSync(
  entry,
  `import { ${names.map((name, i) => `${name} as z${i}`).join(', ')} } from 'zod';\n` +
    `export const z = Object.freeze({ ${names.map((name, i) => `${name}: z${i}`).join(', ')} });\n`,
);
try {
  await build({
    input: entry,
    cwd: root,
    platform: 'node',
    logLevel: 'warn',
    output: { file: vendor, format: 'esm', banner: `// zod ${JSON.parse(readFileSync(path.join(root, 'node_modules', 'zod', 'package.json'), 'utf8')).version} (MIT, Colin McDonnell), the parts orchestrate uses, bundled by scripts/vendor-zod.mjs.` },
  });
} finally {
  rmSync(entry, { force: true });
}

for (const { file, text, source } of importers) {
  let relative = path.relative(path.dirname(file), vendor).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  // Only the import's source string changes, on its own line: tsc's source maps stay right.
  writeFileSync(file, `${text.slice(0, source.start)}'${relative}'${text.slice(source.end)}`);
}
console.log(`vendor-zod: ${names.length} exports of zod in dist/vendor/zod.js, imported by ${importers.length} files`);
