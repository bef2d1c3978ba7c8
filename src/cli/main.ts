import { diskFullError, OrchestrateError } from '../errors.js';
import { processIO, type CliIO, type Command } from './io.js';
import { closest } from './suggest.js';

/**
 * Commands load lazily, so `orchestrate --help` loads none of them. One line per command:
 * `name: { summary, load }`; the summary is what `orchestrate --help` lists.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  integrate: { summary: 'Integrate a service: research, configure, implement, test, document', load: () => import('./commands/integrate.js') },
  'test-integration': { summary: 'Re-run testing and security review on an integration', load: () => import('./commands/test-integration.js') },
  'update-integration': { summary: 'Refresh an integration against the current expertise and catalog', load: () => import('./commands/update-integration.js') },
  'remove-integration': { summary: "Stage the removal of an integration's files, env vars and docs", load: () => import('./commands/remove-integration.js') },
  run: { summary: 'Run any workflow, built-in or your own', load: () => import('./commands/run.js') },
  resume: { summary: 'Resume an interrupted run: done tasks are kept, the rest run', load: () => import('./commands/resume.js') },
  approve: { summary: 'Approve a run waiting at an approval; it goes on', load: () => import('./commands/approve.js') },
  reject: { summary: 'Reject a run waiting at an approval, with the reason; it ends', load: () => import('./commands/reject.js') },
  show: { summary: "Show a run's report and its timeline of tasks", load: () => import('./commands/show.js') },
  runs: { summary: 'List the runs: status, service, age, cost', load: () => import('./commands/runs.js') },
  apply: { summary: "Commit a run's staged files to the branch integration/<service>", load: () => import('./commands/apply.js') },
  discard: { summary: "Throw away a run's staged files", load: () => import('./commands/discard.js') },
  ui: { summary: 'Review runs on a local web page: timeline, diffs, approvals, apply', load: () => import('./commands/ui.js') },
  logs: { summary: "Print a run's log, pretty", load: () => import('./commands/logs.js') },
  agents: { summary: 'List the agents, or show one: agents show <name>', load: () => import('./commands/agents.js') },
  workflows: { summary: 'List the workflows', load: () => import('./commands/workflows.js') },
  validate: { summary: 'Check workflows and agents; every problem at once', load: () => import('./commands/validate.js') },
  graph: { summary: "Print a workflow's task graph as Mermaid", load: () => import('./commands/graph.js') },
  init: { summary: 'Copy the built-in agents, workflows and seed expertise here to customise', load: () => import('./commands/init.js') },
  worker: { summary: 'Run agent tasks from a queue on Redis for runs started with --redis', load: () => import('./commands/worker.js') },
  expertise: { summary: 'Show, check and diff the team expertise: expertise show|validate|diff', load: () => import('./commands/expertise.js') },
};

const HELP = () => `orchestrate: multi-agent workflows that do real, reviewable work on your repository

Usage: orchestrate <command> [arguments] [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(20)}${c.summary}`).join('\n')}

Examples:
  orchestrate integrate twilio                 five phases of agents integrate Twilio
  orchestrate integrate slack notifications    the words after the service state the purpose
  orchestrate integrate stripe --dry-run       the plan and a cost estimate; nothing written
  orchestrate show <run-id>                    the report and timeline of a run

Run "orchestrate <command> --help" for a command's options and examples.
Without ANTHROPIC_API_KEY the built-in offline model plays every agent.
Exit codes: 0 done, 1 the workflow failed, 2 bad usage or input, 3 waiting for an approval,
4 rejected at an approval, 130 interrupted.`;

/** The CLI entry point; returns the exit code (0 done, 1 failed, 2 bad input, 3 awaiting approval, 4 rejected, 130 interrupted). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? io.err : io.out)(HELP());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === '-V') {
    const { createRequire } = await import('node:module');
    io.out((createRequire(import.meta.url)('../../package.json') as { version: string }).version);
    return 0;
  }
  if (name === 'help') return rest[0] === undefined ? main(['--help'], io) : main([rest[0], '--help'], io);
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    if (name.startsWith('-')) {
      const close = closest(name.replace(/^-+/, ''), ['help', 'version']);
      io.err(`orchestrate: unknown option ${name}${close ? `; did you mean --${close}?` : ''}; options go after the command (see orchestrate --help)`);
      return 2;
    }
    const close = closest(name, Object.keys(COMMANDS));
    io.err(`orchestrate: unknown command "${name}"${close ? `; did you mean "${close}"?` : ''} (see orchestrate --help)`);
    return 2;
  }
  const { command } = await entry.load();
  const dashDash = rest.indexOf('--');
  const flags = dashDash === -1 ? rest : rest.slice(0, dashDash);
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const json = flags.includes('--json');
    error = diskFullError(error) ?? error;
    if (error instanceof OrchestrateError) {
      io.err(`orchestrate: ${error.message}`);
      if (json) io.out(JSON.stringify({ type: 'error', code: error.code, message: error.message }));
      return error.exitCode;
    }
    io.err(`orchestrate: internal error: ${(error as Error).message} (this is a bug; please report it, with --debug output)`);
    if (json) io.out(JSON.stringify({ type: 'error', code: 'INTERNAL', message: (error as Error).message }));
    if (io.env.ORCHESTRATE_DEBUG || flags.includes('--debug')) io.err(String((error as Error).stack));
    return 1;
  }
}
