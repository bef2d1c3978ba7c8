import { OrchestrateError } from '../errors.js';
import { processIO, type CliIO, type Command } from './io.js';

/** Commands load lazily, so `orchestrate --help` loads none of them. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  integrate: { summary: 'Integrate a service into this repository', load: () => import('./commands/integrate.js') },
  run: { summary: 'Run any workflow, built-in or your own', load: () => import('./commands/run.js') },
};

const HELP = `orchestrate: multi-agent workflows that do real, reviewable work on your repository

Usage: orchestrate <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`).join('\n')}

Run "orchestrate <command> --help" for a command's options.
Without ANTHROPIC_API_KEY the built-in offline model plays every agent.`;

/** The CLI entry point; returns the exit code (0 done, 1 failed, 2 bad input, 130 interrupted). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    io.out((createRequire(import.meta.url)('../../package.json') as { version: string }).version);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    const close = Object.keys(COMMANDS).find((known) => known.startsWith(name.slice(0, 2)));
    io.err(`orchestrate: unknown command "${name}"${close ? `; did you mean "${close}"?` : ''} (see orchestrate --help)`);
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof OrchestrateError) {
      io.err(`orchestrate: ${error.message}`);
      return error.exitCode;
    }
    io.err(`orchestrate: internal error: ${(error as Error).message} (this is a bug; please report it, with --debug output)`);
    if (io.env.ORCHESTRATE_DEBUG || rest.includes('--debug')) io.err(String((error as Error).stack));
    return 1;
  }
}
