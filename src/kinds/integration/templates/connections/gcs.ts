import { RETRY, type ConnectionTemplate } from './common.js';

/** Google Cloud Storage through @google-cloud/storage. */
export const gcs: ConnectionTemplate = {
  source: ({ head }) => `${head}import { Storage, type StorageOptions } from '@google-cloud/storage';

export interface GcsConfig {
  bucket: string;
  projectId?: string;
  /** An emulator or another compatible endpoint; requests to it are sent without credentials. */
  apiEndpoint?: string;
}

/** From GCS_BUCKET and GOOGLE_CLOUD_PROJECT; credentials come from Application Default Credentials. */
export function gcsConfigFromEnv(env: Record<string, string | undefined> = process.env): GcsConfig {
  return {
    bucket: read(env, 'GCS_BUCKET'),
    ...(env.GOOGLE_CLOUD_PROJECT ? { projectId: env.GOOGLE_CLOUD_PROJECT } : {}),
    ...(env.GCS_API_ENDPOINT ? { apiEndpoint: env.GCS_API_ENDPOINT } : {}),
  };
}

/** Client options: a request timeout, and retries with exponential backoff bounded by a total timeout. */
export function gcsStorageOptions(config: GcsConfig, overrides: Partial<StorageOptions> = {}): StorageOptions {
  return {
    ...(config.projectId ? { projectId: config.projectId } : {}),
    ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint } : {}),
    timeout: 15_000,
    retryOptions: { autoRetry: true, maxRetries: 3, retryDelayMultiplier: 2, maxRetryDelay: 10, totalTimeout: 60 },
    ...overrides,
  };
}

/** Creates the client and checks the bucket is reachable, retrying with backoff. */
export async function connectGcs(config: GcsConfig, retry: RetryOptions = {}, overrides: Partial<StorageOptions> = {}): Promise<Storage> {
  const storage = new Storage(gcsStorageOptions(config, overrides));
  await retryOnConnect(() => bucketExists(storage, config.bucket), retry);
  return storage;
}

/** The bucket exists and this identity can see it, within \`timeoutMs\`. */
export function gcsHealth(storage: Storage, bucket: string, timeoutMs = 3000): Promise<HealthStatus> {
  return timed(() => bucketExists(storage, bucket), timeoutMs, undefined);
}

async function bucketExists(storage: Storage, bucket: string): Promise<void> {
  const [exists] = await storage.bucket(bucket).exists();
  if (!exists) throw new Error(\`bucket \${bucket} does not exist or is not visible\`);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { Storage } from '@google-cloud/storage';
import { connectGcs, gcsConfigFromEnv, gcsHealth, gcsStorageOptions, retryOnConnect } from '../connections/${cls}.js';

const noRetries = { retryOptions: { autoRetry: false, maxRetries: 0 }, timeout: 2000 };

describe('${cls}', () => {${common}
  it('reads GCS_BUCKET and GOOGLE_CLOUD_PROJECT and sets a timeout and bounded retries', () => {
    const config = gcsConfigFromEnv({ GCS_BUCKET: 'uploads', GOOGLE_CLOUD_PROJECT: 'demo-project' });
    expect(config).toEqual({ bucket: 'uploads', projectId: 'demo-project' });
    expect(gcsStorageOptions(config)).toMatchObject({ projectId: 'demo-project', timeout: 15000, retryOptions: { autoRetry: true, maxRetries: 3, totalTimeout: 60 } });
    expect(() => gcsConfigFromEnv({})).toThrow(/GCS_BUCKET is not set/);
  });

  it('retries an unreachable endpoint and then fails; the health check says so', async () => {
    const config = { bucket: 'uploads', projectId: 'demo-project', apiEndpoint: 'http://127.0.0.1:1' };
    await expect(connectGcs(config, { attempts: 2, sleep: async () => {} }, noRetries)).rejects.toThrow();
    const health = await gcsHealth(new Storage(gcsStorageOptions(config, noRetries)), 'uploads', 3000);
    expect(health.ok).toBe(false);
  });
});
`,
};
