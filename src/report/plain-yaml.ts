/**
 * Plain JSON data (a run report) as block-style YAML, written directly. The `yaml` library's
 * document model cost a third of a 1,000-task run's time to print a report that needs none of
 * its features (comments, anchors, styles), and loading it cost every run that has no YAML to
 * read. Strings are plain where no YAML reader could take them for anything else, and
 * double-quoted JSON strings otherwise (JSON's escapes are YAML's), so any YAML parser reads back
 * exactly the data.
 *
 * @example
 * plainYaml({ status: 'complete', tasks: [{ id: 'a', durationMs: 3 }] });
 * // status: complete\ntasks:\n  - id: a\n    durationMs: 3\n
 * plainYaml({ status: 'complete', tasks: [{ id: 'a', durationMs: 3 }] }, { flow: new Set(['tasks']) });
 * // status: complete\ntasks:\n  - {"id":"a","durationMs":3}\n
 */
export function plainYaml(value: unknown, options: { flow?: ReadonlySet<string> } = {}): string {
  if (!isCollection(value)) return `${scalar(value)}\n`;
  if (isEmpty(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  const lines: string[] = [];
  block(value, '', '', lines, options.flow);
  lines.push('');
  return lines.join('\n');
}

/** A word, a path or an id: nothing a YAML reader could take for a number, a boolean, null or syntax. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const KEYWORD = /^(?:true|false|null|yes|no|on|off|y|n|nan|inf|\.nan|\.inf)$/i;
/** Characters YAML does not allow raw in a double-quoted string that JSON.stringify leaves raw. */
const UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function isCollection(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function quoted(text: string): string {
  return JSON.stringify(text).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return PLAIN.test(value) && !KEYWORD.test(value) ? value : quoted(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  return quoted(String(value));
}

/** Keys repeat on every line of a list of records: each is worked out once. */
const KEYS = new Map<string, string>();

function key(name: string): string {
  let text = KEYS.get(name);
  if (text === undefined) {
    text = /^[A-Za-z_][\w-]*$/.test(name) && !KEYWORD.test(name) ? name : quoted(name);
    if (KEYS.size < 1024) KEYS.set(name, text);
  }
  return text;
}

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const name in value) if (Object.hasOwn(value, name) && isKept((value as Record<string, unknown>)[name])) return false;
  return true;
}

/** What JSON keeps of an object's field. */
function isKept(item: unknown): boolean {
  return item !== undefined && typeof item !== 'function';
}

/**
 * A list written one item to a line, each in flow style: JSON, which is YAML too (with the
 * characters YAML does not allow raw escaped). A report's task list: one line per task reads
 * well at any size, and costs one JSON.stringify per task instead of a dozen lines.
 */
function flowList(items: readonly unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    const json = JSON.stringify(item === undefined ? null : item);
    out.push(`${indent}- ${/[\u007f-\uffff]/.test(json) ? json.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json}`);
  }
}

/**
 * A non-empty collection's lines, pushed onto `out`: each at `indent`, but the first at `first`
 * (a mapping in a list starts on its dash's line: "- id: a"). `flow`: the top-level keys whose
 * lists are written one flow item to a line.
 */
function block(value: object, indent: string, first: string, out: string[], flow?: ReadonlySet<string>): void {
  let lead = first;
  const array = Array.isArray(value);
  const list: Array<[string | undefined, unknown]> = array ? value.map((item: unknown) => [undefined, item === undefined ? null : item]) : Object.entries(value);
  for (const [name, item] of list) {
    if (!array && !isKept(item)) continue;
    const head = name === undefined ? `${lead}-` : `${lead}${key(name)}:`;
    lead = indent;
    if (!isCollection(item)) out.push(`${head} ${scalar(item)}`);
    else if (isEmpty(item)) out.push(`${head} ${Array.isArray(item) ? '[]' : '{}'}`);
    else if (name === undefined && !Array.isArray(item)) block(item, `${indent}  `, `${indent}- `, out);
    else if (name !== undefined && flow?.has(name) && Array.isArray(item)) {
      out.push(head);
      flowList(item, `${indent}  `, out);
    }
    else {
      out.push(head);
      block(item, `${indent}  `, `${indent}  `, out);
    }
  }
}
