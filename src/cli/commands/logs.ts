import { readFile } from 'node:fs/promises';
import { UserError } from '../../errors.js';
import { COMMON_OPTIONS, LOG_LEVELS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';
import { findRun } from '../run-lookup.js';
import { closest } from '../suggest.js';
import { colorEnabled } from '../style.js';
import { runPath } from '../../api/runs.js';

const OPTIONS = { ...COMMON_OPTIONS, level: { type: 'string' } } as const;

export const command: Command = {
  summary: "Print a run's log, pretty",
  usage: `Usage: orchestrate logs <run-id> [--level <level>] [options]

Prints pending-commits/<run-id>/run.log (pino NDJSON) in readable form: time, level,
message and fields. Secrets were redacted when the log was written. With --json the raw
NDJSON lines are printed unchanged.

  --level <level>  only lines at this level or above: trace, debug, info, warn, error, fatal

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate logs last
  orchestrate logs 20261122-010512-twilio --level warn
  orchestrate logs last --json | jq -c 'select(.level >= 40)'`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('logs', argv, OPTIONS);
    noExtra(positionals.slice(1), 'logs');
    const level = values.level;
    if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
      const close = closest(level, LOG_LEVELS);
      throw new UserError('BAD_ARGUMENTS', `unknown level "${level}"${close ? `; did you mean ${close}?` : ''}`);
    }
    const { runId, dir } = await findRun(workspaceOf(io, values.cwd), positionals[0], 'logs');
    const text = await readFile(runPath(dir, 'log'), 'utf8').catch(() => undefined);
    if (text === undefined) throw new UserError('NO_LOG', `run ${runId} has no run.log (it may have stopped before it started)`);
    const lines = text.split('\n').filter((line) => line.trim());
    if (values.json) {
      for (const line of lines) io.out(line);
      return 0;
    }
    // pino-pretty does the formatting; loaded here so other commands never pay for it.
    const { prettyFactory } = await import('pino-pretty');
    const pretty = prettyFactory({
      colorize: colorEnabled(io, values['no-color']),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      ...(level ? { minimumLevel: level as 'info' } : {}),
    });
    for (const line of lines) {
      const out = pretty(line);
      if (out) io.write ? io.write(out) : io.out(out.replace(/\n$/, ''));
    }
    return 0;
  },
};
