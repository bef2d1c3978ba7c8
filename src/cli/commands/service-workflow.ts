import { UserError } from '../../errors.js';
import { noExtra, parseCommandArgs, RUN_OPTIONS } from '../args.js';
import { RUN_OPTIONS_HELP } from '../help-text.js';
import type { Command } from '../io.js';
import { invokeWorkflow } from '../invoke.js';

/**
 * A command that runs one workflow on an integrated service: `<command> <service> [options]`.
 * The seed's related commands (test-, update-, remove-integration) are each one of these.
 */
export function serviceWorkflowCommand(name: string, summary: string, description: string, examples: string[]): Command {
  return {
    summary,
    usage: `Usage: orchestrate ${name} <service> [options]

${description}
It runs workflows/${name}.yaml; run "orchestrate init" to copy it into your repository and change it.

${RUN_OPTIONS_HELP}

Examples:
${examples.map((e) => `  ${e}`).join('\n')}`,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(name, argv, RUN_OPTIONS);
      const [service, ...extra] = positionals;
      if (service === undefined) throw new UserError('MISSING_SERVICE', `name the service: orchestrate ${name} <service>, e.g. orchestrate ${name} twilio`);
      noExtra(extra, name);
      return invokeWorkflow({ workflow: name, inputs: { service }, flags: values }, io);
    },
  };
}
