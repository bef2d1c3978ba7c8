// Cold start of Mastra: import the workflows entry (and zod, which its steps need), then (with
// "run") create and run a one-step workflow.
const { createStep, createWorkflow } = await import('@mastra/core/workflows');
const { z } = await import('zod');
if (process.argv[2] === 'run') {
  const step = createStep({ id: 'a', inputSchema: z.any(), outputSchema: z.any(), execute: async () => 1 });
  const flow = createWorkflow({ id: 'cold', inputSchema: z.any(), outputSchema: z.any() }).then(step).commit();
  const result = await (await flow.createRunAsync()).start({ inputData: {} });
  if (result.status !== 'success') process.exit(1);
}
