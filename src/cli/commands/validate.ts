import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  agentDirs,
  checkExpertise,
  formatProblem,
  PACKAGE_ROOT,
  parseAgent,
  prepareWorkflow,
  scanAgents,
  UserError,
  ValidationError,
  workflowProblems,
  type ValidationProblem,
} from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';

async function filesIn(dir: string, ext: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(ext)).sort().map((n) => path.join(dir, n));
}

interface Checked {
  problems: ValidationProblem[];
  workflows: number;
  agents: number;
  expertise: number;
}

/** Checks agents, workflows and expertise files, collecting every problem. */
async function check(workspace: string, only?: string): Promise<Checked> {
  const result: Checked = { problems: [], workflows: 0, agents: 0, expertise: 0 };
  const runtime = { env: {}, packageRoot: PACKAGE_ROOT };
  if (only?.endsWith('.md')) {
    result.agents = 1;
    result.problems.push(...parseAgent(await readFile(only, 'utf8'), only).problems);
  } else {
    // The agents as a run loads them: files that do not load and names defined twice in one folder are errors here.
    const scan = await scanAgents(agentDirs(workspace, PACKAGE_ROOT));
    result.agents = scan.agents.size + scan.skipped.length + scan.shadowed.length;
    for (const skipped of scan.skipped) result.problems.push(...skipped.problems);
    for (const dup of scan.shadowed.filter((s) => s.kind === 'same-folder')) {
      result.problems.push({ file: dup.loser, location: 'name', message: `agent "${dup.name}" is also defined by ${dup.winner} in the same folder, which wins; rename or remove one` });
    }
  }
  const workflowFiles = only ? (/\.ya?ml$/.test(only) && path.basename(only) !== 'expertise.yaml' ? [only] : []) : await filesIn(path.join(workspace, 'workflows'), '.yaml');
  for (const file of workflowFiles) {
    result.workflows += 1;
    try {
      // Prepared as a run prepares it, so validate and a run agree on what is wrong.
      result.problems.push(...workflowProblems(await prepareWorkflow({ workflow: file, workspace, runtime })));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      result.problems.push(...error.problems);
    }
  }
  const expertiseDir = path.join(workspace, 'expertise');
  const expertiseFiles = only
    ? path.basename(only) === 'expertise.yaml' ? [only] : []
    : (await readdir(expertiseDir).catch(() => [] as string[])).map((d) => path.join(expertiseDir, d, 'expertise.yaml'));
  for (const file of expertiseFiles) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    result.expertise += 1;
    const checked = checkExpertise(text, file);
    if (!checked.ok) result.problems.push(...checked.problems);
  }
  return result;
}

export const command: Command = {
  summary: 'Check workflows and agents; every problem at once',
  usage: `Usage: orchestrate validate [path] [options]

Checks the repository's workflows (./workflows/*.yaml), agents (./agents/, ./.claude/agents/
and the built-in ones) and expertise files (./expertise/*/expertise.yaml), or only the file
you name, and reports every problem at once with its file and location. Exit 0 when all is
well, 2 when there are problems.

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate validate
  orchestrate validate workflows/my-flow.yaml
  orchestrate validate .claude/agents/reviewer.md`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('validate', argv, COMMON_OPTIONS);
    noExtra(positionals.slice(1), 'validate');
    const workspace = workspaceOf(io, values.cwd);
    const target = positionals[0] ? path.resolve(workspace, positionals[0]) : undefined;
    const info = target ? await stat(target).catch(() => undefined) : undefined;
    if (target && !info) throw new UserError('NOT_FOUND', `${positionals[0]} does not exist; give a workflow (.yaml), an agent (.md) or a directory`);
    if (target && info!.isFile() && !/\.(ya?ml|md)$/.test(target)) {
      throw new UserError('BAD_ARGUMENTS', `${positionals[0]} is neither a workflow (.yaml) nor an agent (.md)`);
    }
    const result = info?.isDirectory() ? await check(target!) : await check(workspace, target);
    if (values.json) {
      io.out(JSON.stringify({ ok: result.problems.length === 0, ...result }));
    } else {
      for (const problem of result.problems) io.out(formatProblem(problem));
      const counts = `${result.workflows} workflows, ${result.agents} agents, ${result.expertise} expertise files`;
      io.out(result.problems.length ? `${result.problems.length} problems in ${counts}` : `ok: ${counts}, no problems`);
    }
    return result.problems.length ? 2 : 0;
  },
};
