import { describe } from 'vitest';
import type { Executor } from '../../src/executors/executor.js';
import { queueExecutor, removeQueue } from '../../src/executors/queue/index.js';
import { describeNeeding, REDIS_URL } from '../helpers/needs.js';
import { executorConformance } from './conformance.js';
import { startWorkerProcess, type WorkerProcess } from './queue-workers.js';

describeNeeding(['redis'], 'executor conformance: queue (BullMQ on Redis, two worker processes)', () => {
  const queue = `test-conformance-${process.pid}`;
  let workers: WorkerProcess[] = [];
  let executor: (Executor & { close(): Promise<void> }) | undefined;
  describe('conformance', () => {
    executorConformance({
      async start(api) {
        const env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: api.url };
        workers = await Promise.all([startWorkerProcess(queue, env), startWorkerProcess(queue, env)]);
        executor = await queueExecutor({ redis: REDIS_URL, queue });
      },
      executor: () => executor,
      async stop() {
        await executor?.close();
        await Promise.all(workers.map((w) => w.stop()));
        await removeQueue(REDIS_URL, queue);
      },
    });
  });
});
