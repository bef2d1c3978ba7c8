import { serviceWorkflowCommand } from './service-workflow.js';

export const command = serviceWorkflowCommand(
  'update-integration',
  'Refresh an integration against the current expertise and catalog',
  `Compares an integration already in the repository with what the team's expertise and the
service catalog now know (environment variables, webhook scheme, patterns, learnings), and
stages the updated files with notes on what changed and why.`,
  ['orchestrate update-integration twilio', 'orchestrate update-integration slack --dry-run'],
);
