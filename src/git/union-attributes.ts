import path from 'node:path';

/**
 * Files whose lines are a list, where two additions at the same place are both kept (git's
 * union merge): `.env.example` and its kin, `.gitignore`, `.gitattributes`, and the generated
 * integrations' docs index (one line per integration). Everything else conflicts instead.
 */
export function linesAreIndependent(repoPath: string): boolean {
  const name = path.posix.basename(repoPath);
  return /^\.env(\.[\w-]+)*\.(example|sample|template)$/.test(name) || name === '.gitignore' || name === '.gitattributes' || repoPath.endsWith('docs/integrations/README.md');
}

const escapePattern = (repoPath: string) => repoPath.replace(/[*?[\]\\ !#]/g, (c) => `\\${c}`);

/**
 * The `.gitattributes` that gives each of these list files git's built-in union merge driver
 * (`/<path> merge=union`), so branches that each append to one (runs applied side by side, each
 * on its own `integration/<service>` branch) merge into one another with `git merge` and keep
 * every line. The file's own lines are kept; undefined when nothing needs adding.
 * Paths are relative to the folder of the `.gitattributes` (the workspace).
 *
 * @example
 * unionAttributes('*.png binary\n', ['.env.example']) // '*.png binary\n/.env.example merge=union\n'
 */
export function unionAttributes(current: string, listFiles: readonly string[]): string | undefined {
  const lines = current.split('\n');
  const has = (pattern: string) => lines.some((line) => line.trim().split(/\s+/)[0] === pattern && /(^|\s)merge=union(\s|$)/.test(line));
  const missing = [...new Set(listFiles)]
    .filter((file) => path.posix.basename(file) !== '.gitattributes')
    .sort()
    .map((file) => `/${escapePattern(file)}`)
    .filter((pattern) => !has(pattern));
  if (!missing.length) return undefined;
  const head = current && !current.endsWith('\n') ? `${current}\n` : current;
  return `${head}${missing.map((pattern) => `${pattern} merge=union`).join('\n')}\n`;
}
