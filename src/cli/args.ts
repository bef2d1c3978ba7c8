import { UserError } from '../errors.js';

/** Runs node's parseArgs, turning its errors into one-line user errors that say what to do. */
export function withArgErrors<T>(command: string, knownOptions: readonly string[], parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown) {
      const known = knownOptions.map((name) => `--${name}`);
      const close = known.find((name) => name.startsWith(unknown.slice(0, 4)));
      throw new UserError('UNKNOWN_OPTION', `unknown option ${unknown}${close ? `; did you mean ${close}?` : ''} (see orchestrate ${command} --help)`);
    }
    throw new UserError('BAD_ARGUMENTS', `${message.split('\n')[0]} (see orchestrate ${command} --help)`);
  }
}

/** `key=value` pairs into an object; a pair without `=` is an error naming it. */
export function parsePairs(pairs: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError('BAD_ARGUMENTS', `${flag} takes key=value, not "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
