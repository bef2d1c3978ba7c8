import path from 'node:path';
import { loadAgents } from '../../src/agents/load.js';
import { planRun, type RunPlan } from '../../src/engine/plan.js';
import { prepareKind } from '../../src/kinds/registry.js';
import { OfflineModel } from '../../src/providers/offline/offline-model.js';
import { parseWorkflow } from '../../src/run/load-workflow.js';
import { modelResponder, startFakeAnthropicServer, type FakeRequest, type FakeResponder } from '../../src/testing/index.js';
import { REPO_ROOT } from '../helpers/workspace.js';
import { deterministicIntegrate, journalEvents } from './harness.js';

/** The plan of the test workspace's integrate run, for the needs of each task. */
export async function integratePlan(template: string): Promise<RunPlan> {
  const agents = await loadAgents([path.join(template, 'agents'), path.join(REPO_ROOT, 'agents')]);
  return planRun({ workflow: parseWorkflow(deterministicIntegrate(), 'integrate.yaml'), workflowFile: 'integrate.yaml', inputs: { service: 'twilio' }, agents, functions: new Set() });
}

/**
 * A fake Messages API server for one workspace: the offline model plays each task over real
 * HTTP, through the real SDK in the child. A request names its task (x-orchestrate-task); the
 * results of the tasks it needs are read from the run's journal. Under group commit (the
 * default `batched` durability) a task's end reaches the journal file just after its turn of
 * the event loop, so a dependent's first request can come before it: the server waits until
 * every need's end is in the file (it always comes: the batch is already being written). It
 * counts requests per task.
 */
export async function fakeClaudeFor(cwd: string, plan: RunPlan, options: { before?: (request: FakeRequest) => Promise<void> | void } = {}) {
  const tasks = new Map(plan.tasks.map((task) => [task.id, task]));
  const responder: FakeResponder = modelResponder(new OfflineModel((await prepareKind('integration', plan.inputs, { offline: true })).offlineRoles), {
    context: (request) => {
      const task = tasks.get(request.task ?? '');
      const results = new Map(journalEvents(cwd).flatMap((e) => (e.type === 'task-end' && e.status === 'done' ? [[e.task, e.result] as const] : [])));
      return {
        workflow: 'integrate',
        inputs: plan.inputs,
        resultSchema: task?.result ?? 'summary',
        needs: Object.fromEntries((task?.needs ?? []).map((need) => [need, results.get(need)])),
      };
    },
  });
  const needsInJournal = async (task: string | undefined) => {
    const needs = tasks.get(task ?? '')?.needs ?? [];
    for (let tries = 0; tries < 2000; tries++) {
      const ended = new Set(journalEvents(cwd).flatMap((e) => (e.type === 'task-end' ? [e.task] : [])));
      if (needs.every((need) => ended.has(need))) return;
      await new Promise((resolve) => setTimeout(resolve, 5)); // a poll for the batch in flight, not a wait for timing
    }
    throw new Error(`fake Claude: the ends of ${needs.join(', ')} never reached the journal`);
  };
  const server = await startFakeAnthropicServer({
    respond: async (request) => {
      await options.before?.(request);
      await needsInJournal(request.task);
      return responder(request);
    },
  });
  return {
    env: { ANTHROPIC_API_KEY: 'sk-ant-durability-test', ANTHROPIC_BASE_URL: server.url, ORCHESTRATE_REQUESTS_PER_MINUTE: '100000' },
    counts: () => {
      const counts: Record<string, number> = {};
      for (const request of server.requests) counts[request.task ?? '?'] = (counts[request.task ?? '?'] ?? 0) + 1;
      return counts;
    },
    close: () => server.close(),
  };
}
