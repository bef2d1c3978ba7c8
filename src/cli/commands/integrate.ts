import { UserError } from '../../errors.js';
import { parseArgs } from 'node:util';
import { withArgErrors } from '../args.js';
import type { Command } from '../io.js';
import { invokeWorkflow } from './run.js';

const OPTIONS = {
  concurrency: { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
} as const;

export const command: Command = {
  summary: 'Integrate a service into this repository (five-phase workflow)',
  usage: `orchestrate integrate <service> [--concurrency N] [--provider offline|anthropic] [--model M]

Runs workflows/integrate.yaml: research, configuration, implementation, testing and
documentation. Everything is staged in pending-commits/<run-id>/ for review.

Examples:
  orchestrate integrate twilio
  orchestrate integrate stripe --concurrency 2`,
  async run(argv, io) {
    const { values, positionals } = withArgErrors('integrate', Object.keys(OPTIONS), () => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    const [service] = positionals;
    if (service === undefined) throw new UserError('MISSING_SERVICE', 'name the service to integrate: orchestrate integrate <service>, e.g. orchestrate integrate twilio');
    return invokeWorkflow({ workflow: 'integrate', inputs: { service }, concurrency: values.concurrency, provider: values.provider, model: values.model }, io);
  },
};
