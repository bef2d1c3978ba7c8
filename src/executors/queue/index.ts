/** The queue executor: BullMQ on Redis. The only place that imports bullmq. */
export { queueExecutor, type QueueExecutorOptions } from './queue-executor.js';
export { startWorker, type WorkerOptions, type WorkerHandle } from './worker.js';
export { checkRedis, redisTarget, queueName, DEFAULT_QUEUE } from './connection.js';
export { jobIdOf } from './protocol.js';
export { removeQueue } from './remove-queue.js';
