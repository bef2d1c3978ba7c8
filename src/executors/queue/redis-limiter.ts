/** What the limiter needs of a Redis client (the worker's own connection, as BullMQ gives it). */
interface RedisCommands {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  runCommand(name: string, args: unknown[]): Promise<unknown>;
}

/**
 * One request in the current minute, if the minute has room: returns 0 when granted, else the
 * milliseconds to the next minute. The minute is Redis's own clock, so workers on hosts whose
 * clocks differ share the same windows. The hash holds, per minute, the requests granted and the
 * times a request had to wait (`<minute>:waited`); older minutes are dropped.
 */
const ACQUIRE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local minute = math.floor(ms / 60000)
local field = tostring(minute)
local granted = tonumber(redis.call('HGET', KEYS[1], field) or '0')
if granted == 0 then
  for _, old in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(old, 1, #field) ~= field then redis.call('HDEL', KEYS[1], old) end
  end
end
redis.call('PEXPIRE', KEYS[1], 120000)
if granted < tonumber(ARGV[1]) then
  redis.call('HINCRBY', KEYS[1], field, 1)
  return 0
end
redis.call('HINCRBY', KEYS[1], field .. ':waited', 1)
return (minute + 1) * 60000 - ms
`;

/** The Redis key of a queue's shared request counter. */
export const requestCounterKey = (queue: string) => `orchestrate:${queue}:rpm`;

/**
 * Model requests per minute across every worker of a queue: a fixed window per minute of Redis's
 * clock, checked and counted in one script, so twenty workers together never pass the limit.
 * Written here because BullMQ's own limiter counts jobs, not the model calls inside them.
 */
export class RedisRateLimiter {
  constructor(
    private readonly client: RedisCommands,
    private readonly queue: string,
    readonly requestsPerMinute: number,
  ) {
    client.defineCommand('orchestrateAcquireRequest', { numberOfKeys: 1, lua: ACQUIRE });
  }

  /** Waits until a request may be made; `onWait` hears each wait (milliseconds) before it starts. */
  async acquire(signal: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const waitMs = Number(await this.client.runCommand('orchestrateAcquireRequest', [requestCounterKey(this.queue), this.requestsPerMinute]));
      if (waitMs <= 0) return;
      onWait?.(waitMs);
      // A little past the minute, spread so the waiting workers do not all ask at the same instant.
      await sleep(waitMs + 5 + Math.floor(Math.random() * 250), signal);
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
