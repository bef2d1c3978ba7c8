import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { closest } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes: output shape and where to work. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  cwd: { type: 'string' },
} as const satisfies Options;

/** Flags of every command that runs a workflow. */
export const RUN_OPTIONS = {
  ...COMMON_OPTIONS,
  model: { type: 'string' },
  provider: { type: 'string' },
  concurrency: { type: 'string' },
  'budget-usd': { type: 'string' },
  price: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'log-level': { type: 'string' },
  record: { type: 'string' },
  replay: { type: 'string' },
  'unsafe-run-tests': { type: 'boolean' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  'git-url': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
} as const satisfies Options;

/** What parseCommandArgs returns: typed `values` and the `positionals`. */
export type ParsedArgs<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/** Parses a command's arguments strictly; unknown flags suggest the closest known one. */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T): ParsedArgs<T> {
  return withArgErrors(command, Object.keys(options), () => parseArgs({ args: argv, options, allowPositionals: true, strict: true }));
}

/** Runs node's parseArgs, turning its errors into one-line user errors that say what to do. */
export function withArgErrors<T>(command: string, knownOptions: readonly string[], parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown) {
      const close = closest(unknown.replace(/^-+/, ''), knownOptions);
      throw new UserError('UNKNOWN_OPTION', `unknown option ${unknown}${close ? `; did you mean --${close}?` : ''} (see orchestrate ${command} --help)`);
    }
    const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message)?.[2];
    if (missing) throw new UserError('BAD_ARGUMENTS', `${missing} needs a value (see orchestrate ${command} --help)`);
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

/** A positive whole number flag such as `--concurrency 2`. */
export function parseCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new UserError('BAD_ARGUMENTS', `${flag} takes a whole number of at least 1, not "${value}"`);
  return n;
}

/** A whole number of at least 0, such as `--health-port 0`. */
export function parseWhole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UserError('BAD_ARGUMENTS', `${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

/** A non-negative amount such as `--budget-usd 0.50`. */
export function parseAmount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UserError('BAD_ARGUMENTS', `${flag} takes an amount in US dollars such as 0.50, not "${value}"`);
  return n;
}

/** `--price <input>/<output>[/<cache read>/<cache write>]`: USD per million tokens, for a model the price table does not know. */
export function parsePrice(value: string | undefined): { input: number; output: number; cacheRead?: number; cacheWrite?: number } | undefined {
  if (value === undefined) return undefined;
  const parts = value.split('/').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if ((parts.length !== 2 && parts.length !== 4) || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new UserError('BAD_ARGUMENTS', `--price takes <input>/<output> in US dollars per million tokens, such as 3/15 (or 3/15/0.3/3.75 with cache read and write prices), not "${value}"`);
  }
  const [input, output, cacheRead, cacheWrite] = parts as [number, number, number?, number?];
  return { input, output, ...(cacheRead !== undefined ? { cacheRead, cacheWrite: cacheWrite! } : {}) };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `--log-level`, else `ORCHESTRATE_LOG_LEVEL`, else info; an unknown level is an error. */
export function parseLogLevel(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const level = flag ?? env.ORCHESTRATE_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    const close = closest(level, LOG_LEVELS);
    throw new UserError('BAD_ARGUMENTS', `unknown log level "${level}"${close ? `; did you mean ${close}?` : ''}; use one of ${LOG_LEVELS.join(', ')}`);
  }
  return level;
}

/** Rejects positionals beyond what a command takes. */
export function noExtra(extra: readonly string[], command: string): void {
  if (extra.length) throw new UserError('BAD_ARGUMENTS', `unexpected argument "${extra[0]}" (see orchestrate ${command} --help)`);
}
