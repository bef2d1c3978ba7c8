import { Queue } from 'bullmq';
import { queueName, redisTarget } from './connection.js';

const REMOVE = `local n = 0 for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) n = n + 1 end return n`;

/**
 * Removes a queue from Redis: its jobs and BullMQ's keys (obliterate), and orchestrate's own keys
 * beside them (the shared request counters). For tests and benches, which make a queue each.
 */
export async function removeQueue(redis: string, name: string): Promise<void> {
  const queue = new Queue(queueName(name), { connection: redisTarget(redis).connection });
  queue.on('error', () => undefined);
  try {
    await queue.obliterate({ force: true });
    const client = await queue.getBackend().client;
    // Orchestrate's keys of this queue are few (a counter per minute): KEYS inside one script is cheap here.
    client.defineCommand('orchestrateRemoveKeys', { numberOfKeys: 0, lua: REMOVE });
    await client.runCommand('orchestrateRemoveKeys', [`orchestrate:${name}:*`]);
  } finally {
    await queue.close();
  }
}
