/** What the limiter needs of a Redis client (the worker's own connection, as BullMQ gives it). */
interface RedisCommands {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  runCommand(name: string, args: unknown[]): Promise<unknown>;
}

/** Counts one request in the window's key, setting its expiry on the first. */
const COUNT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

/**
 * Model requests per minute across every worker of a queue: one counter per minute in Redis
 * (a fixed window, INCR then expire), so twenty workers together never pass the limit. Written
 * here because BullMQ's own limiter counts jobs, not the model calls inside them.
 */
export class RedisRateLimiter {
  constructor(
    private readonly client: RedisCommands,
    private readonly queue: string,
    private readonly requestsPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    client.defineCommand('orchestrateCountRequest', { numberOfKeys: 1, lua: COUNT });
  }

  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const minute = Math.floor(this.now() / 60_000);
      const key = `orchestrate:${this.queue}:rpm:${minute}`;
      const count = Number(await this.client.runCommand('orchestrateCountRequest', [key, 61_000]));
      if (count <= this.requestsPerMinute) return;
      await sleep((minute + 1) * 60_000 - this.now() + 5, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
