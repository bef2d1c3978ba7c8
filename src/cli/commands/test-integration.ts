import { serviceWorkflowCommand } from './service-workflow.js';

export const command = serviceWorkflowCommand(
  'test-integration',
  'Re-run testing and security review on an integration',
  `Re-runs the testing-engineer and the code-review-expert on the files of an integration already
in the repository (from its catalog entry in the expertise and the files it finds), and stages
new or updated tests, the test results and a fresh security review.`,
  ['orchestrate test-integration twilio', 'orchestrate test-integration stripe --json'],
);
