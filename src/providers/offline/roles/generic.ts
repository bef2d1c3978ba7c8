import { finish, write, type Role } from '../script.js';

/** What a kind already knows about the subject, for a `research` result the model did not find out. */
export interface KnownFacts {
  endpoint: string;
  authentication: string;
  envVars: string[];
  capabilities: string[];
}

/**
 * For tasks the catalog has no template for: the offline model does not pretend. It records
 * the task in a note, marked as not done, and finishes with a result that says so.
 */
export function genericRole(task: string, agent: string, resultSchema: string, known?: KnownFacts): Role {
  const summary = `The offline model has no template for task "${task}" (${agent}); the task is recorded in notes/${task}.md for a person or Claude to do.`;
  return {
    steps: [
      (state) => {
        const prompt = state.request.messages[0]?.content.find((b) => b.type === 'text');
        return [
          write(
            `notes/${task}.md`,
            `# ${task} (${agent}): NOT DONE by the offline model\n\nRun with ANTHROPIC_API_KEY set to have Claude do it.\n\n## The task\n${prompt && prompt.type === 'text' ? prompt.text : ''}\n`,
          ),
        ];
      },
      () => [finish(resultFor(resultSchema, summary, known))],
    ],
  };
}

function resultFor(schema: string, summary: string, known: KnownFacts | undefined): Record<string, unknown> {
  switch (schema) {
    case 'research':
      return {
        summary,
        endpoint: known?.endpoint ?? 'UNKNOWN',
        authentication: known?.authentication ?? 'UNKNOWN',
        envVars: known?.envVars ?? [],
        capabilities: known?.capabilities ?? [],
        unknowns: ['everything this task was to find out'],
      };
    case 'test-results':
      return { summary, testFiles: [], ran: false, passed: 0, failed: 0, skipped: 0, notRun: 'no template for this task' };
    case 'security-review':
      return { summary, checks: [], findings: [] };
    case 'documentation':
      return { summary, documents: [], usageExamples: [], nextSteps: ['Do this task by hand or with Claude'] };
    default:
      return { summary };
  }
}
