import { RETRY, type ConnectionTemplate } from './common.js';

/** The pg connection module and its tests (moved unchanged from connection.ts). */
export const postgres: ConnectionTemplate = {
  source: ({ head }) => `${head}import pg from 'pg';

export interface PostgresConfig {
  connectionString: string;
  /** Most pooled connections. @default 10 */
  max: number;
  /** @default 5000 */
  connectionTimeoutMillis: number;
  /** @default 30000 */
  idleTimeoutMillis: number;
  /** Server-side statement timeout. @default 15000 */
  statementTimeoutMillis: number;
}

/** From DATABASE_URL and PG_POOL_MAX. */
export function postgresConfigFromEnv(env: Record<string, string | undefined> = process.env): PostgresConfig {
  const max = Number(env.PG_POOL_MAX ?? 10);
  if (!Number.isInteger(max) || max < 1) throw new Error('PG_POOL_MAX must be a whole number of at least 1');
  return { connectionString: read(env, 'DATABASE_URL'), max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, statementTimeoutMillis: 15_000 };
}

/** A connection pool; nothing connects until the first query. */
export function createPostgresPool(config: PostgresConfig): pg.Pool {
  return new pg.Pool({
    connectionString: config.connectionString,
    max: config.max,
    connectionTimeoutMillis: config.connectionTimeoutMillis,
    idleTimeoutMillis: config.idleTimeoutMillis,
    statement_timeout: config.statementTimeoutMillis,
    query_timeout: config.statementTimeoutMillis + 1000,
  });
}

/** Creates the pool and proves it can connect, retrying with backoff (a database that is still starting). */
export async function connectPostgres(config: PostgresConfig, retry: RetryOptions = {}): Promise<pg.Pool> {
  const pool = createPostgresPool(config);
  try {
    await retryOnConnect(async () => (await pool.connect()).release(), retry);
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** SELECT 1 within \`timeoutMs\`. */
export function postgresHealth(pool: pg.Pool, timeoutMs = 2000, connectionString?: string): Promise<HealthStatus> {
  return timed(() => pool.query('SELECT 1'), timeoutMs, connectionString);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { connectPostgres, createPostgresPool, postgresConfigFromEnv, postgresHealth, retryOnConnect } from '../connections/${cls}.js';

// YOUR_PASSWORD: a placeholder the secret scan knows, so the generated test passes it.
const URL_ = 'postgresql://app:YOUR_PASSWORD@127.0.0.1:1/app';

describe('${cls}', () => {${common}
  it('reads DATABASE_URL and PG_POOL_MAX, and names a missing variable', () => {
    expect(postgresConfigFromEnv({ DATABASE_URL: URL_, PG_POOL_MAX: '4' })).toMatchObject({ connectionString: URL_, max: 4 });
    expect(() => postgresConfigFromEnv({})).toThrow(/DATABASE_URL is not set/);
    expect(() => postgresConfigFromEnv({ DATABASE_URL: URL_, PG_POOL_MAX: '0' })).toThrow(/PG_POOL_MAX/);
  });

  it('configures the pool size and timeouts', async () => {
    const pool = createPostgresPool(postgresConfigFromEnv({ DATABASE_URL: URL_, PG_POOL_MAX: '4' }));
    expect(pool.options).toMatchObject({ max: 4, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 });
    await pool.end();
  });

  it('retries an unreachable server and then fails; the health check reports it without the password', async () => {
    const config = { ...postgresConfigFromEnv({ DATABASE_URL: URL_ }), connectionTimeoutMillis: 500 };
    await expect(connectPostgres(config, { attempts: 2, sleep: async () => {} })).rejects.toThrow();
    const pool = createPostgresPool(config);
    const health = await postgresHealth(pool, 2000, URL_);
    await pool.end();
    expect(health.ok).toBe(false);
    expect(health.error).not.toContain('YOUR_PASSWORD');
  });
});
`,
};
