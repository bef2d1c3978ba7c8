import type { ProviderDefinition } from '../../src/providers/provider-definition.js';
import { costOf, type PriceLookup } from '../../src/providers/cost.js';
import type { Model } from '../../src/providers/model.js';
import { emptyUsage } from '../../src/schema/usage.js';

/**
 * A test fixture provider, defined the way a folder under src/providers/ defines one: it is
 * chosen when ECHO_KEY is set, names its models `echo-<agent model>`, prices them at $1/$2 per
 * million tokens, and answers every task by finishing with the task id.
 */
export const echoProvider: ProviderDefinition = {
  name: 'echo',
  description: 'a test provider that finishes every task at once',
  chosenWhen: (env) => Boolean(env.ECHO_KEY),
  missing: (env) => (env.ECHO_KEY ? undefined : 'the echo provider needs ECHO_KEY'),
  modelId: (agentModel, override) => `echo-${override ?? agentModel ?? 'default'}`,
  prices: (modelId) => (modelId.startsWith('echo-') ? { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25 } : undefined),
  create: async ({ model: override, prices }) => {
    const models = new Map<string, Model>();
    return {
      banner: 'The echo provider plays every agent.',
      resolve: (agentModel) => {
        const id = `echo-${override ?? agentModel}`;
        let model = models.get(id);
        if (!model) models.set(id, (model = echoModel(id, prices)));
        return model;
      },
    };
  },
};

function echoModel(modelId: string, prices: PriceLookup | undefined): Model {
  const tokens = { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 };
  return {
    specificationVersion: 'v1',
    provider: 'echo',
    modelId,
    generate: async (request) => ({
      content: [{ type: 'tool_use', id: `toolu_echo_${request.context.task}`, name: 'finish', input: { summary: `echo ${request.context.task}` } }],
      stopReason: 'tool_use',
      usage: { ...emptyUsage(), ...tokens, costUsd: prices ? costOf(modelId, tokens, prices).usd : 0 },
      model: modelId,
    }),
  };
}
