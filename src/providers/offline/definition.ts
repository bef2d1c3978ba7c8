import type { ProviderDefinition } from '../provider-definition.js';

/** The built-in offline model: the default when there is no API key; free, no network. */
export const offlineProvider: ProviderDefinition = {
  name: 'offline',
  description: 'the built-in offline model: plays every agent from the workflow kind\'s catalog and templates, free, no network',
  chosenWhen: () => true,
  playsKindRoles: true,
  create: async ({ offlineRoles }) => {
    // Loaded by the run that uses it, like the Anthropic SDK: its scripts are no import's cost.
    const { OfflineModel } = await import('./offline-model.js');
    const model = new OfflineModel(offlineRoles);
    return {
      banner: 'No ANTHROPIC_API_KEY: the built-in offline model plays every agent from the service catalog and templates.',
      resolve: () => model,
    };
  },
};
