import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { pino } from './lazy-modules.js';

export type { Logger };

/**
 * Field paths whose values never reach a log, wherever they sit one level down
 * (`{ request: { apiKey } }`) or at the top.
 */
export const REDACTED_PATHS = [
  'apiKey', '*.apiKey', 'api_key', '*.api_key',
  'authToken', '*.authToken', 'auth_token', '*.auth_token',
  'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'secret', '*.secret', 'password', '*.password', 'privateKey', '*.privateKey',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'env', '*.env',
];

export const CENSOR = '[redacted]';

/** Secret values shorter than this are not matched in text: too likely to be ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** Variables whose values are always secrets, whatever the service. */
export const ALWAYS_SECRET = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];

export interface FileLoggerOptions {
  /** pino level. @default ORCHESTRATE_LOG_LEVEL, else 'info' */
  level?: string;
  /** Values to cut out of every line, wherever they appear (the API key, the service's secrets). */
  secrets?: readonly string[];
}

/**
 * Names whose values are taken for secrets whatever the run declares: `*_KEY`, `*_SECRET`,
 * `*_TOKEN`, `*PASSWORD*`, `*_SID`, `*_CREDENTIALS`... So a variable a task declares late in a
 * run (a custom API's key found during research) is redacted from the run's first event.
 * `PWD`, `OLDPWD` (the current directory) are not secrets; `*_PWD` is.
 */
const SECRET_LOOKING = /(?:^|_)(?:[A-Z0-9]*KEY|SECRET|TOKEN|SID|CREDENTIALS?|AUTH|DSN|SIGNATURE|SALT|COOKIE)(?:_|$)|PASSWORD|PASSWD|PASSPHRASE|SECRET|_PWD$/;
/** Where a secret is, not what it is: `*_FILE`, `*_PATH`, `*_DIR`, `*_NAME`, `*_ID`; the shell's own. */
const NOT_SECRET = /^(?:PWD|OLDPWD|SSH_AUTH_SOCK)$|_(?:FILE|PATH|DIR|NAME|ID)$/;

/** Whether a variable's name says its value is a secret (see {@link SECRET_LOOKING}). */
export function looksSecret(name: string): boolean {
  const upper = name.toUpperCase();
  return SECRET_LOOKING.test(upper) && !NOT_SECRET.test(upper);
}

/**
 * The secret values of a run: the API key, the values of the environment variables the service
 * declares (`TWILIO_AUTH_TOKEN`), and those of every variable whose name looks secret, as set in `env`.
 *
 * @example
 * createFileLogger(file, { level: 'info', secrets: secretValues(process.env, ['TWILIO_AUTH_TOKEN']) });
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>, envVarNames: readonly string[] = []): string[] {
  const values = new Set<string>();
  const names = [...ALWAYS_SECRET, ...envVarNames, ...Object.keys(env).filter(looksSecret)];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value && value.length >= MIN_SECRET_LENGTH) values.add(value);
  }
  return [...values];
}

/**
 * Replaces each secret in a serialized log line, in its raw form and as JSON escapes it
 * (a secret with a quote or backslash appears escaped inside the line). Longest first, so a
 * secret that contains another is cut whole.
 */
export function redactValues(line: string, secrets: readonly string[]): string {
  return redactForms(line, secretForms(secrets));
}

/** Each secret's raw and JSON-escaped forms, longest secret first: worked out once per logger. */
function secretForms(secrets: readonly string[]): string[] {
  const forms: string[] = [];
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) forms.push(form);
  }
  return forms;
}

function redactForms(line: string, forms: readonly string[]): string {
  let out = line;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(CENSOR);
  return out;
}

/** What a run log writes to: the run's file, with its secret values cut from every line. */
interface RunLogStream {
  write(line: string): void;
  flush(): void;
  flushSync(): void;
  end(): void;
}

/**
 * The process's one pino logger with the field-path redaction compiled in (compiling it cost
 * more than a run of a thousand code functions). Every run log is a child of it with a stream
 * of its own (pino's `streamSym`, which pino exposes for integrations): children share their
 * parent's serializers and redaction, and a child's stream shadows the parent's. It never
 * writes itself.
 */
let base: Logger | undefined;

/**
 * The only place pino loggers are made. A run's log is NDJSON in its folder; secrets are
 * redacted by field path (pino's `redact`) and by value (every line, before it is written).
 * Close it with {@link closeFileLogger}.
 */
export function createFileLogger(file: string, options: string | FileLoggerOptions = {}): Logger {
  const { level = process.env.ORCHESTRATE_LOG_LEVEL ?? 'info', secrets = [] } = typeof options === 'string' ? { level: options } : options;
  const forms = secretForms(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH));
  const make = pino();
  base ??= make({ level: 'trace', base: undefined, redact: { paths: REDACTED_PATHS, censor: CENSOR } }, { write: () => undefined });
  const destination = openLogFile(file);
  const stream: RunLogStream = {
    write: forms.length ? (line) => destination.write(redactForms(line, forms)) : (line) => destination.write(line),
    flush: () => undefined,
    flushSync: () => undefined,
    end: () => destination.close(),
  };
  const logger = base.child({}, { level });
  (logger as unknown as Record<symbol, RunLogStream>)[make.symbols.streamSym] = stream;
  return logger;
}

/**
 * A run log's file: each line written in place as it is logged (a few lines a run at info), and
 * closed without an fsync. The log is best effort: the journal is what a crash keeps, so the log
 * costs the run no disk flush, and a write it cannot make (a full disk) is dropped rather than
 * ending the process; the run fails in one line where it writes what matters (journal, staged
 * files, manifest). Written by hand: pino's own destination fsyncs the file when it is closed.
 */
function openLogFile(file: string): { write(line: string): void; close(): void } {
  let fd: number | undefined;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    fd = openSync(file, 'a');
  } catch {
    fd = undefined;
  }
  return {
    write(line) {
      if (fd === undefined) return;
      try {
        const bytes = Buffer.from(line);
        for (let from = 0; from < bytes.length; ) from += writeSync(fd, bytes, from);
      } catch {
        // Best effort, as above.
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Writes what a file logger holds and closes its file. */
export function closeFileLogger(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, RunLogStream | undefined>)[pino().symbols.streamSym];
  stream?.end();
}

export function silentLogger(): Logger {
  return pino()({ level: 'silent' });
}
