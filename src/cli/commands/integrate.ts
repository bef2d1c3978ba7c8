import { UserError } from '../../errors.js';
import { parseCommandArgs, parsePairs, RUN_OPTIONS } from '../args.js';
import { RUN_OPTIONS_HELP } from '../help-text.js';
import type { Command } from '../io.js';
import { invokeWorkflow } from '../invoke.js';

const OPTIONS = { ...RUN_OPTIONS, config: { type: 'string', multiple: true } } as const;

/** `--config model=gpt-4 --config region=eu` as one input: `model=gpt-4, region=eu`. */
export function configInput(pairs: readonly string[] | undefined): string | undefined {
  const config = parsePairs(pairs, '--config');
  const entries = Object.entries(config);
  return entries.length ? entries.map(([key, value]) => `${key}=${value}`).join(', ') : undefined;
}

export const command: Command = {
  summary: 'Integrate a service: research, configure, implement, test, document',
  usage: `Usage: orchestrate integrate <service> [purpose ...] [options]
       orchestrate integrate custom-api <url> [purpose ...] [options]

Runs workflows/integrate.yaml: five phases of agents research the service, configure it,
implement the client and webhooks, test and review it, and document it. Everything they write
is staged in pending-commits/<run-id>/ for you to review; nothing touches your files until
"orchestrate apply <run-id>". Words after the service state the purpose; every agent sees them.

Integration options:
  --config <key=value> an option of the integration itself (repeatable), such as model=gpt-4
                       for an OpenAI integration; every agent sees them

${RUN_OPTIONS_HELP}

Examples:
  orchestrate integrate twilio
  orchestrate integrate slack notifications
  orchestrate integrate postgres database --concurrency 2
  orchestrate integrate openai --config model=gpt-4 --model opus
  orchestrate integrate custom-api https://api.example.com/v1
  orchestrate integrate stripe --dry-run`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('integrate', argv, OPTIONS);
    const [service, ...rest] = positionals;
    if (service === undefined) {
      throw new UserError('MISSING_SERVICE', 'name the service to integrate: orchestrate integrate <service>, e.g. orchestrate integrate twilio');
    }
    const inputs: Record<string, unknown> = { service };
    let words = rest;
    if (service === 'custom-api') {
      const [url, ...more] = rest;
      if (url === undefined) throw new UserError('MISSING_URL', 'custom-api needs the API base URL: orchestrate integrate custom-api https://api.example.com');
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw new UserError('BAD_URL', `"${url}" is not an http(s) URL; give the API base URL, e.g. https://api.example.com/v1`);
      }
      inputs.url = url;
      words = more;
    }
    if (words.length) inputs.purpose = words.join(' ');
    const config = configInput(values.config);
    if (config !== undefined) inputs.config = config;
    return invokeWorkflow({ workflow: 'integrate', inputs, flags: values }, io);
  },
};
