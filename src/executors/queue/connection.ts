import { Queue } from 'bullmq';
import { UserError } from '../../errors.js';

/** The BullMQ queue orchestrate uses unless told otherwise. */
export const DEFAULT_QUEUE = 'orchestrate-tasks';

/** Connection options for BullMQ (ioredis options), from a `redis://` or `rediss://` URL. */
export interface RedisTarget {
  url: string;
  connection: { host: string; port: number; username?: string; password?: string; db?: number; tls?: object; maxRetriesPerRequest: null };
}

/** Parses a Redis URL; anything else is a one-line user error saying what a good one looks like. */
export function redisTarget(url: string): RedisTarget {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !/^rediss?:$/.test(parsed.protocol) || !parsed.hostname) {
    throw new UserError('BAD_REDIS_URL', `"${url}" is not a Redis URL; give one such as redis://127.0.0.1:6379 (or rediss:// for TLS)`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new UserError('BAD_REDIS_URL', `"${url}": the database after the host must be a number, such as redis://127.0.0.1:6379/0`);
  return {
    url: `${parsed.protocol}//${parsed.host}${parsed.pathname}`,
    connection: {
      host: parsed.hostname,
      port: Number(parsed.port || 6379),
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(db !== '' ? { db: Number(db) } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
      maxRetriesPerRequest: null,
    },
  };
}

/** A queue name BullMQ accepts (no `:`). */
export function queueName(name: string | undefined): string {
  const chosen = name ?? DEFAULT_QUEUE;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(chosen)) throw new UserError('BAD_QUEUE_NAME', `queue name "${chosen}" may hold letters, digits, ".", "_" and "-" only`);
  return chosen;
}

/**
 * Checks that Redis answers, before anything is written: unreachable is a one-line user error
 * (exit 2) naming the URL, not a connection retried for ever.
 */
export async function checkRedis(target: RedisTarget, name: string, timeoutMs = 3000): Promise<void> {
  const probe = new Queue(name, { connection: { ...target.connection, maxRetriesPerRequest: 1, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false, lazyConnect: false } });
  probe.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await probe.waitUntilReady();
        await probe.getJobCounts('waiting');
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new UserError('REDIS_UNREACHABLE', `Redis at ${target.url} does not answer (${(error as Error).message}); start it (redis-server) or give the right --redis URL`);
  } finally {
    clearTimeout(timer);
    await probe.close().catch(() => undefined);
  }
}
