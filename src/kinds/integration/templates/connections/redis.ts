import { RETRY, type ConnectionTemplate } from './common.js';

/** The ioredis connection module and its tests (moved unchanged from connection.ts). */
export const redis: ConnectionTemplate = {
  source: ({ head }) => `${head}import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConfig {
  url: string;
  /** @default 5000 */
  connectTimeout: number;
  /** @default 2000 */
  commandTimeout: number;
}

/** From REDIS_URL. */
export function redisConfigFromEnv(env: Record<string, string | undefined> = process.env): RedisConfig {
  return { url: read(env, 'REDIS_URL'), connectTimeout: 5000, commandTimeout: 2000 };
}

/** Reconnect delays after a connection drops: exponential, capped at 5 s, giving up after 20 tries. */
export function reconnectDelay(times: number): number | null {
  return times > 20 ? null : Math.min(5000, 100 * 2 ** Math.min(times, 6));
}

/** ioredis options: lazy connect (we connect with retry), timeouts, bounded per-request retries. */
export function redisOptions(config: RedisConfig): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: config.connectTimeout,
    commandTimeout: config.commandTimeout,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
  };
}

/** One multiplexed connection (Redis pipelines commands; a pool is not needed), connected with retry. */
export async function connectRedis(config: RedisConfig, retry: RetryOptions = {}): Promise<Redis> {
  const client = new Redis(config.url, { ...redisOptions(config), retryStrategy: () => null });
  try {
    await retryOnConnect(async () => {
      if (client.status === 'end' || client.status === 'wait') await client.connect();
    }, retry);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  client.options.retryStrategy = reconnectDelay;
  return client;
}

/** PING within \`timeoutMs\`. */
export function redisHealth(client: Pick<Redis, 'ping'>, timeoutMs = 2000): Promise<HealthStatus> {
  return timed(() => client.ping(), timeoutMs, undefined);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { reconnectDelay, redisConfigFromEnv, redisHealth, redisOptions, retryOnConnect } from '../connections/${cls}.js';

describe('${cls}', () => {${common}
  it('reads REDIS_URL and sets timeouts, lazy connect and bounded retries', () => {
    const config = redisConfigFromEnv({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(redisOptions(config)).toMatchObject({ lazyConnect: true, connectTimeout: 5000, commandTimeout: 2000, maxRetriesPerRequest: 2, enableOfflineQueue: false });
    expect(() => redisConfigFromEnv({})).toThrow(/REDIS_URL is not set/);
  });

  it('backs off reconnects exponentially, capped, and stops after 20 tries', () => {
    expect(reconnectDelay(1)).toBe(200);
    expect(reconnectDelay(2)).toBe(400);
    expect(reconnectDelay(10)).toBe(5000);
    expect(reconnectDelay(21)).toBeNull();
  });

  it('reports health from PING, and a hung server as a timeout', async () => {
    await expect(redisHealth({ ping: async () => 'PONG' })).resolves.toMatchObject({ ok: true });
    const hung = await redisHealth({ ping: () => new Promise<'PONG'>(() => {}) }, 20);
    expect(hung).toMatchObject({ ok: false, error: expect.stringMatching(/timed out/) });
  });
});
`,
};
