import { RETRY, type ConnectionTemplate } from './common.js';

/** MySQL through mysql2's promise pool. */
export const mysql: ConnectionTemplate = {
  source: ({ head }) => `${head}import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';

export interface MySqlConfig {
  uri: string;
  /** Most pooled connections. @default 10 */
  connectionLimit: number;
  /** Requests waiting for a free connection before new ones are refused. @default 100 */
  queueLimit: number;
  /** @default 5000 */
  connectTimeout: number;
  /** Client-side limit on each query. @default 15000 */
  queryTimeout: number;
}

/** From MYSQL_URL and MYSQL_POOL_MAX. */
export function mysqlConfigFromEnv(env: Record<string, string | undefined> = process.env): MySqlConfig {
  const limit = Number(env.MYSQL_POOL_MAX ?? 10);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('MYSQL_POOL_MAX must be a whole number of at least 1');
  return { uri: read(env, 'MYSQL_URL'), connectionLimit: limit, queueLimit: 100, connectTimeout: 5000, queryTimeout: 15_000 };
}

/** Pool options: size, a bounded wait queue, connect timeout, keep-alive, idle connections closed after a minute. */
export function mysqlPoolOptions(config: MySqlConfig): PoolOptions {
  return {
    uri: config.uri,
    connectionLimit: config.connectionLimit,
    maxIdle: config.connectionLimit,
    idleTimeout: 60_000,
    waitForConnections: true,
    queueLimit: config.queueLimit,
    connectTimeout: config.connectTimeout,
    enableKeepAlive: true,
  };
}

/** A connection pool; nothing connects until the first query. */
export function createMySqlPool(config: MySqlConfig): Pool {
  return createPool(mysqlPoolOptions(config));
}

/** Creates the pool and proves it can connect, retrying with backoff (a server that is still starting). */
export async function connectMySql(config: MySqlConfig, retry: RetryOptions = {}): Promise<Pool> {
  const pool = createMySqlPool(config);
  try {
    await retryOnConnect(async () => (await pool.getConnection()).release(), retry);
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** A query with the configured client-side timeout. */
export function mysqlQuery(pool: Pool, config: Pick<MySqlConfig, 'queryTimeout'>, sql: string, values: unknown[] = []) {
  return pool.query({ sql, values, timeout: config.queryTimeout });
}

/** SELECT 1 within \`timeoutMs\`; the URI (with its password) never appears in the error. */
export function mysqlHealth(pool: Pool, timeoutMs = 2000, uri?: string): Promise<HealthStatus> {
  return timed(() => pool.query({ sql: 'SELECT 1', timeout: timeoutMs }), timeoutMs, uri);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { connectMySql, createMySqlPool, mysqlConfigFromEnv, mysqlHealth, mysqlPoolOptions, retryOnConnect } from '../connections/${cls}.js';

const URL_ = 'mysql://app:YOUR_PASSWORD@127.0.0.1:1/app';

describe('${cls}', () => {${common}
  it('reads MYSQL_URL and MYSQL_POOL_MAX, and names a missing variable', () => {
    expect(mysqlConfigFromEnv({ MYSQL_URL: URL_, MYSQL_POOL_MAX: '4' })).toMatchObject({ uri: URL_, connectionLimit: 4 });
    expect(() => mysqlConfigFromEnv({})).toThrow(/MYSQL_URL is not set/);
    expect(() => mysqlConfigFromEnv({ MYSQL_URL: URL_, MYSQL_POOL_MAX: '0' })).toThrow(/MYSQL_POOL_MAX/);
  });

  it('configures the pool size, wait queue, timeouts and keep-alive', () => {
    const options = mysqlPoolOptions(mysqlConfigFromEnv({ MYSQL_URL: URL_, MYSQL_POOL_MAX: '4' }));
    expect(options).toMatchObject({ connectionLimit: 4, queueLimit: 100, connectTimeout: 5000, waitForConnections: true, enableKeepAlive: true });
  });

  it('retries an unreachable server and then fails; the health check reports it without the password', async () => {
    const config = { ...mysqlConfigFromEnv({ MYSQL_URL: URL_ }), connectTimeout: 500 };
    await expect(connectMySql(config, { attempts: 2, sleep: async () => {} })).rejects.toThrow();
    const pool = createMySqlPool(config);
    const health = await mysqlHealth(pool, 2000, URL_);
    await pool.end();
    expect(health.ok).toBe(false);
    expect(health.error).not.toContain('YOUR_PASSWORD');
  });
});
`,
};
