import { RETRY, type ConnectionTemplate } from './common.js';

/** The mongodb connection module and its tests (moved unchanged from connection.ts). */
export const mongodb: ConnectionTemplate = {
  source: ({ head }) => `${head}import { MongoClient, type MongoClientOptions } from 'mongodb';

export interface MongoConfig {
  uri: string;
  database: string | undefined;
  options: MongoClientOptions;
}

/** From MONGODB_URI and MONGODB_DB. */
export function mongoConfigFromEnv(env: Record<string, string | undefined> = process.env): MongoConfig {
  return {
    uri: read(env, 'MONGODB_URI'),
    database: env.MONGODB_DB,
    options: { maxPoolSize: 10, minPoolSize: 0, serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000, socketTimeoutMS: 30_000, retryWrites: true },
  };
}

/** The driver keeps the pool; connect() is retried with backoff. */
export async function connectMongo(config: MongoConfig, retry: RetryOptions = {}): Promise<MongoClient> {
  const client = new MongoClient(config.uri, config.options);
  try {
    await retryOnConnect(() => client.connect(), retry);
    return client;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/** The ping command within \`timeoutMs\`. */
export function mongoHealth(client: MongoClient, database = 'admin', timeoutMs = 2000): Promise<HealthStatus> {
  return timed(() => client.db(database).command({ ping: 1 }), timeoutMs, undefined);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { MongoClient } from 'mongodb';
import { connectMongo, mongoConfigFromEnv, mongoHealth, retryOnConnect } from '../connections/${cls}.js';

describe('${cls}', () => {${common}
  it('reads MONGODB_URI and sets the pool and timeouts', () => {
    const config = mongoConfigFromEnv({ MONGODB_URI: 'mongodb://127.0.0.1:1', MONGODB_DB: 'app' });
    expect(config).toMatchObject({ database: 'app', options: { maxPoolSize: 10, serverSelectionTimeoutMS: 5000 } });
    expect(new MongoClient(config.uri, config.options).options.maxPoolSize).toBe(10);
    expect(() => mongoConfigFromEnv({})).toThrow(/MONGODB_URI is not set/);
  });

  it('retries an unreachable server and then fails; the health check says so', async () => {
    const config = mongoConfigFromEnv({ MONGODB_URI: 'mongodb://127.0.0.1:1' });
    config.options = { ...config.options, serverSelectionTimeoutMS: 300, connectTimeoutMS: 300 };
    await expect(connectMongo(config, { attempts: 2, sleep: async () => {} })).rejects.toThrow();
    const client = new MongoClient(config.uri, config.options);
    const health = await mongoHealth(client, 'admin', 2000);
    await client.close();
    expect(health.ok).toBe(false);
  });
});
`,
};
