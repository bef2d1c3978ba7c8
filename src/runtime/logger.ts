import pino, { type Logger } from 'pino';

export type { Logger };

/** The only place pino loggers are made. A run's log is NDJSON in its folder. */
export function createFileLogger(file: string, level = process.env.ORCHESTRATE_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { level, base: undefined, redact: { paths: ['*.apiKey', '*.authToken', '*.token', '*.secret', 'headers.authorization'], censor: '[redacted]' } },
    pino.destination({ dest: file, sync: true, mkdir: true }),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
