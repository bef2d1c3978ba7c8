import { serviceWorkflowCommand } from './service-workflow.js';

export const command = serviceWorkflowCommand(
  'remove-integration',
  "Stage the removal of an integration's files, env vars and docs",
  `Stages the removal of an integration: its source files, tests and docs are staged as deletions,
its environment variables are taken out of .env.example, and a note lists what was removed.
Nothing is deleted until you review the run and apply it.`,
  ['orchestrate remove-integration twilio', 'orchestrate remove-integration stripe --dry-run'],
);
