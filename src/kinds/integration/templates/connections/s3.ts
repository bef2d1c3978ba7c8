import { RETRY, type ConnectionTemplate } from './common.js';

/** The aws-s3 connection module and its tests (moved unchanged from connection.ts). */
export const s3: ConnectionTemplate = {
  source: ({ head }) => `${head}import { HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Agent } from 'node:https';

export interface S3Config {
  region: string;
  bucket: string;
  /** For S3-compatible stores and tests (path-style addressing is used with it). */
  endpoint?: string;
}

/** From AWS_REGION and S3_BUCKET; credentials come from the SDK's default provider chain. */
export function s3ConfigFromEnv(env: Record<string, string | undefined> = process.env): S3Config {
  return { region: read(env, 'AWS_REGION'), bucket: read(env, 'S3_BUCKET'), ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}) };
}

/** Client options: a keep-alive socket pool, connect and request timeouts, SDK retries. */
export function s3ClientConfig(config: S3Config, overrides: Partial<S3ClientConfig> = {}): S3ClientConfig {
  return {
    region: config.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 15_000, httpsAgent: new Agent({ keepAlive: true, maxSockets: 50 }) },
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    ...overrides,
  };
}

/** Creates the client and checks the bucket is reachable, retrying with backoff. */
export async function connectS3(config: S3Config, retry: RetryOptions = {}, overrides: Partial<S3ClientConfig> = {}): Promise<S3Client> {
  const client = new S3Client(s3ClientConfig(config, overrides));
  try {
    await retryOnConnect(() => client.send(new HeadBucketCommand({ Bucket: config.bucket })), retry);
    return client;
  } catch (error) {
    client.destroy();
    throw error;
  }
}

/** HeadBucket within \`timeoutMs\`. */
export function s3Health(client: S3Client, bucket: string, timeoutMs = 3000): Promise<HealthStatus> {
  return timed(() => client.send(new HeadBucketCommand({ Bucket: bucket })), timeoutMs, undefined);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { connectS3, s3ClientConfig, s3ConfigFromEnv, s3Health, retryOnConnect } from '../connections/${cls}.js';
import { S3Client } from '@aws-sdk/client-s3';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret-access-key' };

describe('${cls}', () => {${common}
  it('reads AWS_REGION and S3_BUCKET and sets timeouts, retries and a keep-alive pool', () => {
    const config = s3ConfigFromEnv({ AWS_REGION: 'eu-west-1', S3_BUCKET: 'bucket-1' });
    expect(config).toEqual({ region: 'eu-west-1', bucket: 'bucket-1' });
    expect(s3ClientConfig(config)).toMatchObject({ region: 'eu-west-1', maxAttempts: 3, requestHandler: { connectionTimeout: 3000, requestTimeout: 15000 } });
    expect(() => s3ConfigFromEnv({ AWS_REGION: 'eu-west-1' })).toThrow(/S3_BUCKET is not set/);
  });

  it('retries an unreachable endpoint and then fails; the health check says so', async () => {
    const config = { region: 'eu-west-1', bucket: 'bucket-1', endpoint: 'http://127.0.0.1:1' };
    await expect(connectS3(config, { attempts: 2, sleep: async () => {} }, { credentials, maxAttempts: 1 })).rejects.toThrow();
    const client = new S3Client(s3ClientConfig(config, { credentials, maxAttempts: 1 }));
    const health = await s3Health(client, 'bucket-1', 3000);
    client.destroy();
    expect(health.ok).toBe(false);
  });
});
`,
};
