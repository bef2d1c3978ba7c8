import { defineTool, LearningInput } from './tool.js';

export const recordLearningTool = defineTool({
  name: 'record_learning',
  description:
    'Record something the team should know next time (a pattern that worked, a pitfall, a fact about the service). ' +
    'It is merged into the expertise file after the run. Never include secrets.',
  input: LearningInput,
  // Not the insight: this detail goes into the journal before the learning is scanned for
  // secrets. An accepted learning's text is in its learning-record event.
  describe: (input) => `learning (${input.insight.length} characters${input.files_affected.length ? `, about ${input.files_affected.join(', ')}` : ''})`,
  async run(input, context) {
    await context.recordLearning(input);
    context.emit({
      type: 'learning-record',
      runId: context.runId,
      at: context.at(),
      task: context.task.id,
      agent: context.task.agent,
      insight: input.insight,
      ...(input.context ? { context: input.context } : {}),
      filesAffected: input.files_affected,
    });
    return 'learning recorded';
  },
});
