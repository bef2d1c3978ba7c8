import { UserError } from '../../errors.js';
import { approver } from '../approval-prompt.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import type { Command } from '../io.js';
import { workspaceOf } from '../invoke.js';

const OPTIONS = { ...COMMON_OPTIONS, port: { type: 'string' }, host: { type: 'string' }, by: { type: 'string' } } as const;

export const command: Command = {
  summary: 'Review runs on a local web page: timeline, diffs, approvals, apply',
  usage: `Usage: orchestrate ui [--port <n>] [--host <address>] [options]

Serves a page on 127.0.0.1 (a free port unless --port says which) and prints its address, which
carries a token made for this launch: requests without it are refused. The page lists the runs and
shows, for one run, a live timeline of its tasks (time, tokens, cost, retries), the staged files
as diffs, the notes and the report, what it changed in the expertise, and the approval it waits
for. Its buttons approve, reject, apply and discard, as the commands of the same names do. Runs
started in a terminal appear and move on the page. Ctrl-C stops the server.

  --port <n>       the port (default: a free one)
  --host <address> listen on another address, such as 0.0.0.0 (default 127.0.0.1: this machine
                   only; any other address prints a warning); anyone who can reach it and has
                   the URL can apply runs
  --by <name>      who answers approvals from the page (default: ORCHESTRATE_USER, else your login)
  --cwd <dir>      the repository whose runs to show (default: the current directory)

Examples:
  orchestrate ui
  orchestrate ui --port 4400`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('ui', argv, OPTIONS);
    noExtra(positionals, 'ui');
    const port = values.port === undefined ? 0 : Number(values.port);
    if (values.port !== undefined && (!/^\d+$/.test(values.port) || port < 1 || port > 65535)) {
      throw new UserError('BAD_ARGUMENTS', `--port takes a port number from 1 to 65535, not "${values.port}"`);
    }
    const { startUiServer } = await import('../../ui/server.js');
    const server = await startUiServer({
      workspace: workspaceOf(io, values.cwd),
      ...(values.host ? { host: values.host } : {}),
      port,
      env: io.env,
      by: approver(values.by, io.env),
      log: (line) => io.err(`orchestrate ui: ${line}`),
    });
    if (values.json) io.out(JSON.stringify({ type: 'ui', url: server.url, port: server.port }));
    else io.out(`orchestrate ui: ${server.url}\n(Ctrl-C stops it)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()).once('SIGTERM', () => resolve()));
    await server.close();
    return 0;
  },
};
