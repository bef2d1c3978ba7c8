/**
 * Why a value is not plain JSON, or undefined when it is. A task's result goes into the journal,
 * to the tasks that need it and to a resumed run, so it must read back as it was written: a
 * `BigInt` or a circular object cannot be written at all, and a `Map`, `Set`, `Date` or class
 * instance would come back as something else (`{}`, a string). `undefined` (no result) is fine.
 *
 * @example
 * jsonProblem({ total: 10n }); // 'total is a BigInt'
 */
export function jsonProblem(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  return problemAt(value, '(the result)', new Set());
}

function problemAt(value: unknown, where: string, open: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${where} is ${value} (not a JSON number)`;
    case 'bigint':
      return `${where} is a BigInt (return it as a string or a number)`;
    case 'object':
      break;
    default:
      return `${where} is a ${typeof value}`;
  }
  if (value === null) return undefined;
  if (open.has(value)) return `${where} refers back to itself (a circular object)`;
  const array = Array.isArray(value);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!array && prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    return `${where} is a ${name}, not a plain object (return ${name === 'Map' ? 'Object.fromEntries(map)' : name === 'Set' ? '[...set]' : name === 'Date' ? 'date.toISOString()' : 'a plain object'})`;
  }
  open.add(value);
  try {
    if (array) {
      for (let i = 0; i < value.length; i++) {
        const problem = value[i] === undefined ? `${where}[${i}] is undefined` : problemAt(value[i], `${where}[${i}]`, open);
        if (problem) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      const problem = problemAt(item, where === '(the result)' ? key : `${where}.${key}`, open);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    open.delete(value);
  }
}
