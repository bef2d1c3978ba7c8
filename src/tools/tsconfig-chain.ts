import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyEdits, modify, parse } from 'jsonc-parser';
import { isReadable } from './paths.js';

/** Where configs from outside the workspace (a monorepo's root tsconfig) are placed in the scratch project. */
const OUTSIDE_DIR = '.orchestrate/tsconfig';

/** compilerOptions that are paths, relative to the config file that sets them. */
const PATH_OPTIONS = ['baseUrl', 'rootDir', 'outDir', 'declarationDir', 'tsBuildInfoFile'] as const;
const PATH_LIST_OPTIONS = ['typeRoots', 'rootDirs'] as const;

/** What `copyTsconfigChain` wrote. */
export interface TsconfigChain {
  /** The repository's tsconfig.json, its `extends` pointing at the copies. */
  text: string;
  /** The configs it extends by path that could not be copied, and why. */
  missing: string[];
}

/**
 * Copies the configs the repository's tsconfig.json `extends` by path (a string or, since
 * TypeScript 5.0, an array), and theirs in turn, into the scratch project, so a check under the
 * repository's tsconfig sees its whole chain. One inside the workspace is copied to the same
 * relative path: its `baseUrl`, `paths` and `include` mean what they meant. One outside it but
 * inside the enclosing git repository (`../../tsconfig.base.json` in a monorepo package) is
 * copied under `.orchestrate/tsconfig/` with `extends` pointing at it and its own path options
 * made absolute, as TypeScript would have resolved them. A package (`@tsconfig/node20`) resolves
 * through the linked node_modules as it is. Nothing else of the host is copied: not a file the
 * agents may not read, not one outside the repository, not one that is not `.json`.
 */
export async function copyTsconfigChain(workspace: string, scratch: string, text: string): Promise<TsconfigChain> {
  const repositoryRoot = gitRoot(workspace);
  const missing: string[] = [];
  const placed = new Map<string, string>();
  let outside = 0;

  async function rewrite(hostFile: string, scratchFile: string, source: string, relocated: boolean): Promise<string> {
    let out = source;
    const config = parse(source) as { extends?: unknown; compilerOptions?: Record<string, unknown> } | undefined;
    if (!config || typeof config !== 'object') return out;
    const entries = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
    for (const [index, entry] of entries.entries()) {
      if (typeof entry !== 'string' || !/^(?:\.{1,2}(?:\/|$)|\/)/.test(entry)) continue;
      const parent = resolveConfig(path.dirname(hostFile), entry);
      const target = await place(parent, entry);
      if (target === undefined) continue;
      let relative = path.relative(path.dirname(scratchFile), target).split(path.sep).join('/');
      if (!/^\.\.?\//.test(relative)) relative = `./${relative}`;
      if (relative !== entry) out = applyEdits(out, modify(out, typeof config.extends === 'string' ? ['extends'] : ['extends', index], relative, {}));
    }
    if (relocated) out = absolutePathOptions(out, config, path.dirname(hostFile));
    return out;
  }

  async function place(hostFile: string, written: string): Promise<string | undefined> {
    const known = placed.get(hostFile);
    if (known) return known;
    const inWorkspace = path.relative(workspace, hostFile);
    const inside = !inWorkspace.startsWith('..') && !path.isAbsolute(inWorkspace);
    const inRepository = repositoryRoot !== undefined && !path.relative(repositoryRoot, hostFile).startsWith('..');
    const why = !hostFile.endsWith('.json')
      ? 'not a .json file'
      : !existsSync(hostFile)
        ? 'not found'
        : inside && !isReadable(inWorkspace.split(path.sep).join('/'))
          ? 'a file agents may not read'
          : !inside && !inRepository
            ? 'outside the repository'
            : undefined;
    if (why) {
      missing.push(`${written} (${why})`);
      return undefined;
    }
    const target = inside ? path.join(scratch, inWorkspace) : path.join(scratch, OUTSIDE_DIR, `${++outside}-${path.basename(hostFile)}`);
    placed.set(hostFile, target);
    const source = await readFile(hostFile, 'utf8');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await rewrite(hostFile, target, source, !inside));
    return target;
  }

  const root = path.join(workspace, 'tsconfig.json');
  placed.set(root, path.join(scratch, 'tsconfig.repository.json'));
  return { text: await rewrite(root, path.join(scratch, 'tsconfig.repository.json'), text, false), missing };
}

/** `extends: "./base"` means ./base.json when there is no ./base. */
function resolveConfig(dir: string, entry: string): string {
  const file = path.resolve(dir, entry);
  return existsSync(file) || file.endsWith('.json') ? file : `${file}.json`;
}

/** The path options of a config moved away from its directory, made absolute from where it was. */
function absolutePathOptions(text: string, config: { compilerOptions?: Record<string, unknown> }, dir: string): string {
  let out = text;
  const set = (at: (string | number)[], value: string) => (out = applyEdits(out, modify(out, at, path.resolve(dir, value), {})));
  const options = config.compilerOptions ?? {};
  for (const key of PATH_OPTIONS) if (typeof options[key] === 'string') set(['compilerOptions', key], options[key]);
  for (const key of PATH_LIST_OPTIONS) {
    const list = options[key];
    if (Array.isArray(list)) list.forEach((value, i) => typeof value === 'string' && set(['compilerOptions', key, i], value));
  }
  // `paths` are relative to baseUrl (made absolute above), or to the config itself without one.
  const paths = options.paths;
  if (options.baseUrl === undefined && paths && typeof paths === 'object') {
    for (const [alias, targets] of Object.entries(paths as Record<string, unknown>)) {
      if (Array.isArray(targets)) targets.forEach((value, i) => typeof value === 'string' && set(['compilerOptions', 'paths', alias, i], value));
    }
  }
  for (const key of ['include', 'exclude', 'files'] as const) {
    const list = (config as Record<string, unknown>)[key];
    if (Array.isArray(list)) list.forEach((value, i) => typeof value === 'string' && set([key, i], value));
  }
  return out;
}

/** The git repository the workspace is in: the nearest directory above it holding `.git`. */
function gitRoot(workspace: string): string | undefined {
  for (let dir = path.resolve(workspace); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
