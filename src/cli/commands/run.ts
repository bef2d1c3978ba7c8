import { UserError } from '../../errors.js';
import { runWorkflow } from '../../run/run-workflow.js';
import { parseArgs } from 'node:util';
import { withArgErrors, parsePairs } from '../args.js';
import type { CliIO, Command } from '../io.js';
import { progressLine } from '../progress.js';

export interface WorkflowInvocation {
  workflow: string;
  inputs: Record<string, unknown>;
  concurrency?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
}

/** Runs a workflow with progress lines and the report; returns the exit code. */
export async function invokeWorkflow(invocation: WorkflowInvocation, io: CliIO): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    const concurrency = invocation.concurrency === undefined ? undefined : Number(invocation.concurrency);
    const result = await runWorkflow({
      workflow: invocation.workflow,
      inputs: invocation.inputs,
      cwd: io.cwd,
      signal: controller.signal,
      runtime: { env: io.env },
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(invocation.provider ? { provider: invocation.provider as 'offline' | 'anthropic' } : {}),
      ...(invocation.model ? { model: invocation.model } : {}),
      onEvent: (event) => {
        const line = progressLine(event);
        if (line) io.out(line);
      },
    });
    io.out('');
    io.out(result.reportText);
    return result.status === 'complete' ? 0 : result.status === 'cancelled' ? 130 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

const OPTIONS = {
  input: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
} as const;

export const command: Command = {
  summary: 'Run any workflow, built-in or your own',
  usage: `orchestrate run <workflow> [--input key=value ...] [--concurrency N] [--provider offline|anthropic] [--model M]

Examples:
  orchestrate run integrate --input service=twilio
  orchestrate run ./workflows/my-flow.yaml --input target=src`,
  async run(argv, io) {
    const { values, positionals } = withArgErrors('run', Object.keys(OPTIONS), () => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    const [workflow, ...extra] = positionals;
    if (!workflow) throw new UserError('MISSING_WORKFLOW', 'name the workflow to run: orchestrate run <workflow> (see orchestrate workflows)');
    if (extra.length) throw new UserError('BAD_ARGUMENTS', `unexpected argument "${extra[0]}"; pass inputs as --input key=value`);
    return invokeWorkflow({ workflow, inputs: parsePairs(values.input, '--input'), concurrency: values.concurrency, provider: values.provider, model: values.model }, io);
  },
};
