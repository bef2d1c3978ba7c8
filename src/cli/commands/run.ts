import { UserError } from '../../errors.js';
import { parseCommandArgs, parsePairs, RUN_OPTIONS } from '../args.js';
import { RUN_OPTIONS_HELP } from '../help-text.js';
import type { Command } from '../io.js';
import { invokeWorkflow } from '../invoke.js';

export { invokeWorkflow, type WorkflowInvocation } from '../invoke.js';

const OPTIONS = { ...RUN_OPTIONS, input: { type: 'string', multiple: true } } as const;

export const command: Command = {
  summary: 'Run any workflow, built-in or your own',
  usage: `Usage: orchestrate run <workflow> [--input key=value ...] [options]

Runs a workflow by name (from ./workflows/, then the built-in ones) or by path to a YAML file.
Inputs are checked against the workflow's declared inputs before anything runs.

  --input <key=value>  a workflow input (repeatable)

${RUN_OPTIONS_HELP}

Examples:
  orchestrate run integrate --input service=twilio
  orchestrate run ./workflows/my-flow.yaml --input target=src
  orchestrate run test-integration --input service=stripe --json`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('run', argv, OPTIONS);
    const [workflow, ...extra] = positionals;
    if (!workflow) throw new UserError('MISSING_WORKFLOW', 'name the workflow to run: orchestrate run <workflow> (see orchestrate workflows)');
    if (extra.length) throw new UserError('BAD_ARGUMENTS', `unexpected argument "${extra[0]}"; pass inputs as --input key=value`);
    return invokeWorkflow({ workflow, inputs: parsePairs(values.input, '--input'), flags: values }, io);
  },
};
