import { scanAgents, UserError, whySkipped } from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';
import { closest } from '../suggest.js';
import { agentDirs, origin } from '../workspace-dirs.js';

export const command: Command = {
  summary: 'List the agents, or show one: agents show <name>',
  usage: `Usage: orchestrate agents [options]
       orchestrate agents show <name> [options]

Lists the agents a workflow can use: ./agents/, then ./.claude/agents/ (subfolders too), then
the built-in ones; the first definition of a name wins, so yours override the built-in ones, and
each override is a warning. A file that does not load is skipped with a warning naming its line. "show" prints one
agent: its model, tools, where it was loaded from, warnings, and its system prompt.

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate agents
  orchestrate agents show integration-specialist
  orchestrate agents --json`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('agents', argv, COMMON_OPTIONS);
    const workspace = workspaceOf(io, values.cwd);
    const scan = await scanAgents(agentDirs(workspace));
    const agents = scan.agents;
    const [sub, name, ...extra] = positionals;
    if (sub === undefined) {
      // Files that did not load and shadowed names: said once, on stderr, so a listing stays a listing.
      for (const skipped of scan.skipped) io.err(`warning: skipped ${origin(skipped.file, workspace)}: ${whySkipped(skipped)}`);
      for (const s of scan.shadowed) io.err(`warning: agent "${s.name}" of ${origin(s.winner, workspace)} shadows the one in ${origin(s.loser, workspace)} (${s.reason})`);
      const list = [...agents.values()].sort((a, b) => a.name.localeCompare(b.name));
      if (values.json) {
        io.out(JSON.stringify(list.map(({ systemPrompt: _p, ...agent }) => ({ ...agent, source: origin(agent.source, workspace) }))));
        return 0;
      }
      const width = Math.max(...list.map((a) => a.name.length));
      for (const agent of list) {
        io.out(`${agent.name.padEnd(width)}  ${agent.model.padEnd(7)}  ${origin(agent.source, workspace).padEnd(10)}  ${agent.description.split('\n')[0]!.slice(0, 70)}`);
      }
      io.out(`\n${list.length} agents. Details: orchestrate agents show <name>`);
      return 0;
    }
    if (sub !== 'show') {
      throw new UserError('BAD_ARGUMENTS', `unknown subcommand "${sub}"${agents.has(sub) ? `; did you mean "agents show ${sub}"?` : ''} (orchestrate agents, or orchestrate agents show <name>)`);
    }
    noExtra(extra, 'agents');
    if (!name) throw new UserError('MISSING_AGENT', 'name the agent: orchestrate agents show <name> (list them with orchestrate agents)');
    const agent = agents.get(name);
    if (!agent) {
      const close = closest(name, [...agents.keys()]);
      throw new UserError('UNKNOWN_AGENT', `no agent "${name}"${close ? `; did you mean ${close}?` : ''} (list them with orchestrate agents)`);
    }
    if (values.json) {
      io.out(JSON.stringify({ ...agent, source: origin(agent.source, workspace) }));
      return 0;
    }
    io.out(`${agent.name}: ${agent.description}`);
    io.out(`model: ${agent.model}   max turns: ${agent.maxTurns}   from: ${agent.source}`);
    io.out(`tools: ${agent.tools.join(', ') || 'none'}`);
    for (const warning of agent.warnings) io.out(`warning: ${warning}`);
    io.out(`\n${agent.systemPrompt}`);
    return 0;
  },
};
