import { listWorkflows, loadWorkflow, PACKAGE_ROOT, workflowDirs } from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';
import { origin } from '../workspace-dirs.js';

export const command: Command = {
  summary: 'List the workflows',
  usage: `Usage: orchestrate workflows [options]

Lists the workflows "orchestrate run" can run: ./workflows/, then the built-in ones (yours
override a built-in one of the same name), with their inputs and number of tasks.

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate workflows
  orchestrate workflows --json`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('workflows', argv, COMMON_OPTIONS);
    noExtra(positionals, 'workflows');
    const workspace = workspaceOf(io, values.cwd);
    const dirs = workflowDirs(workspace, PACKAGE_ROOT);
    const rows = [];
    for (const name of await listWorkflows(dirs)) {
      try {
        const { workflow, file } = await loadWorkflow(name, dirs);
        const inputs = Object.entries(workflow.inputs).map(([key, spec]) => (spec.required && spec.default === undefined ? key : `[${key}]`));
        rows.push({ name, description: workflow.description, source: origin(file, workspace), inputs, tasks: workflow.phases.reduce((n, p) => n + p.tasks.length, 0), valid: true });
      } catch (error) {
        rows.push({ name, description: `invalid: ${(error as Error).message.split('\n')[0]}`, source: '', inputs: [], tasks: 0, valid: false });
      }
    }
    if (values.json) {
      io.out(JSON.stringify(rows));
      return 0;
    }
    const width = Math.max(8, ...rows.map((r) => r.name.length));
    for (const row of rows) {
      io.out(`${row.name.padEnd(width)}  ${String(row.tasks).padStart(2)} tasks  ${row.source.padEnd(10)}  inputs: ${row.inputs.join(', ') || 'none'}`);
      io.out(`${' '.repeat(width)}  ${row.description}`);
    }
    io.out(`\nRun one: orchestrate run <workflow> --input key=value   Graph: orchestrate graph <workflow>`);
    return rows.every((r) => r.valid) ? 0 : 2;
  },
};
