import type { AgentDefinition } from '../schema/agent.js';
import type { Model } from '../providers/model.js';
import type { LearningInput } from '../tools/tool.js';
import type { Executor } from './executor.js';

/** What the in-process executor runs tasks with: the run's models, rate limit and secret scan. */
export interface InProcessOptions {
  model: (agent: AgentDefinition) => Model;
  acquire?: (signal: AbortSignal) => Promise<void>;
  describeHits: (repoPath: string, content: string) => Promise<string[]>;
  admitLearning: (learning: LearningInput, task: string) => Promise<void>;
  /** The run's staged-byte count, charged at each write. */
  reserveStaged?: (attempt: string, repoPath: string, bytes: number, cap: number) => number | undefined;
  at?: () => string;
}

/**
 * The default executor: each agent task runs in this process, through the same plain-JSON task
 * and result as a queue worker's, so nothing about a run depends on where its tasks ran.
 *
 * @example
 * const executor = inProcessExecutor({ model: () => new OfflineModel(), describeHits: async () => [], admitLearning: async () => {} });
 */
export function inProcessExecutor(options: InProcessOptions): Executor {
  return {
    name: 'in-process',
    // The agent loop, its tools and the task overlay load with the first agent task: a workflow
    // of code functions never needs them.
    run: async (spec, context) => (await import('./agent-task.js')).runAgentTask(spec, context, { ...options, worker: 'in-process' }),
  };
}
