import path from 'node:path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';

/** A key both the branch and the run set, to different values. */
export interface KeyConflict {
  /** `dependencies.zod`, or a top-level key such as `type`. */
  key: string;
  ours: unknown;
  theirs: unknown;
}

export type JsonMergeResult = { content: string; conflicts: [] } | { content?: undefined; conflicts: KeyConflict[] };

/** `package.json` files are merged by key, never by line. */
export function mergesByKey(repoPath: string): boolean {
  return path.posix.basename(repoPath) === 'package.json';
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merges a `package.json` by key: what the run changed against the base (a dependency, a script,
 * any top-level key; objects one level down, so two runs adding different dependencies or scripts
 * never meet) is applied onto the branch's file with jsonc-parser's edits, which keep the
 * branch's formatting, key order and every key the run did not touch. A key the run changed
 * that the branch also changed, to something else, is a conflict. Undefined when a side is not
 * a JSON object (the caller falls back to a line merge).
 *
 * @example
 * mergePackageJson('{}', '{"dependencies":{"a":"1"}}', '{"dependencies":{"b":"2"}}')
 * // { content: '{"dependencies":{"a":"1","b":"2"}}', conflicts: [] }
 */
export function mergePackageJson(base: string, ours: string, theirs: string): JsonMergeResult | undefined {
  const [b, o, t] = [base.trim() ? read(base) : {}, read(ours), read(theirs)];
  if (!b || !o || !t) return undefined;
  const changes: Array<{ path: string[]; value: unknown }> = [];
  const conflicts: KeyConflict[] = [];
  const visit = (keyPath: string[], bv: unknown, ov: unknown, tv: unknown, depth: number) => {
    if (same(bv, tv) || same(ov, tv)) return;
    if (depth < 1 && isObject(tv) && (bv === undefined || isObject(bv)) && (ov === undefined || isObject(ov))) {
      const bo = (bv ?? {}) as Json;
      const oo = (ov ?? {}) as Json;
      for (const key of new Set([...Object.keys(bo), ...Object.keys(tv)])) visit([...keyPath, key], bo[key], oo[key], tv[key], depth + 1);
      return;
    }
    if (same(bv, ov)) changes.push({ path: keyPath, value: tv });
    else conflicts.push({ key: keyPath.join('.'), ours: ov, theirs: tv });
  };
  for (const key of new Set([...Object.keys(b), ...Object.keys(t)])) visit([key], b[key], o[key], t[key], 0);
  if (conflicts.length) return { conflicts };
  const indent = /^\{\s*\n([ \t]+)"/.exec(ours)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: ours.includes('\r\n') ? '\r\n' : '\n' };
  let content = ours;
  for (const change of changes) content = applyEdits(content, modify(content, change.path, change.value, { formattingOptions }));
  return { content, conflicts: [] };
}

/** One line for a key conflict. */
export function describeKeyConflict(conflict: KeyConflict): string {
  const show = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));
  return `"${conflict.key}" is ${show(conflict.ours)} on the branch and ${show(conflict.theirs)} in the run`;
}

function read(text: string): Json | undefined {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.length || !isObject(value) ? undefined : value;
}
