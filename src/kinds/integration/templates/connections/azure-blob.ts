import { RETRY, type ConnectionTemplate } from './common.js';

/** Azure Blob Storage through @azure/storage-blob. */
export const azureBlob: ConnectionTemplate = {
  source: ({ head }) => `${head}import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';

export interface AzureBlobConfig {
  connectionString: string;
  container: string;
}

/** From AZURE_STORAGE_CONNECTION_STRING and AZURE_STORAGE_CONTAINER. */
export function azureBlobConfigFromEnv(env: Record<string, string | undefined> = process.env): AzureBlobConfig {
  return { connectionString: read(env, 'AZURE_STORAGE_CONNECTION_STRING'), container: read(env, 'AZURE_STORAGE_CONTAINER') };
}

/** Pipeline options: keep-alive connections, a per-try timeout and exponential retries. */
export function azureBlobPipelineOptions(overrides: Partial<StoragePipelineOptions> = {}): StoragePipelineOptions {
  return {
    keepAliveOptions: { enable: true },
    retryOptions: { maxTries: 4, tryTimeoutInMs: 15_000, retryDelayInMs: 500, maxRetryDelayInMs: 5000 },
    ...overrides,
  };
}

/** The container client for the configured container; nothing connects until the first request. */
export function createAzureContainerClient(config: AzureBlobConfig, overrides: Partial<StoragePipelineOptions> = {}): ContainerClient {
  return BlobServiceClient.fromConnectionString(config.connectionString, azureBlobPipelineOptions(overrides)).getContainerClient(config.container);
}

/** Creates the client and checks the container is reachable, retrying with backoff. */
export async function connectAzureBlob(config: AzureBlobConfig, retry: RetryOptions = {}, overrides: Partial<StoragePipelineOptions> = {}): Promise<ContainerClient> {
  const container = createAzureContainerClient(config, overrides);
  await retryOnConnect(() => container.getProperties(), retry);
  return container;
}

/** Container properties within \`timeoutMs\`; the account key never appears in the error. */
export function azureBlobHealth(container: Pick<ContainerClient, 'getProperties'>, timeoutMs = 3000, connectionString?: string): Promise<HealthStatus> {
  return timed(() => container.getProperties(), timeoutMs, connectionString?.match(/AccountKey=([^;]+)/)?.[1]);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { azureBlobConfigFromEnv, azureBlobHealth, azureBlobPipelineOptions, connectAzureBlob, createAzureContainerClient, retryOnConnect } from '../connections/${cls}.js';

/** A made-up account key, built at run time: an unreachable local endpoint stands in for Azure. */
const KEY = Buffer.from('not-a-real-account-key-for-tests').toString('base64');
const CONNECTION = 'DefaultEndpointsProtocol=http;AccountName=devaccount;AccountKey=' + KEY + ';BlobEndpoint=http://127.0.0.1:1/devaccount;';
const noRetries = { retryOptions: { maxTries: 1, tryTimeoutInMs: 2000 } };

describe('${cls}', () => {${common}
  it('reads AZURE_STORAGE_CONNECTION_STRING and AZURE_STORAGE_CONTAINER and sets keep-alive, per-try timeout and retries', () => {
    expect(azureBlobConfigFromEnv({ AZURE_STORAGE_CONNECTION_STRING: CONNECTION, AZURE_STORAGE_CONTAINER: 'uploads' })).toEqual({ connectionString: CONNECTION, container: 'uploads' });
    expect(azureBlobPipelineOptions()).toMatchObject({ keepAliveOptions: { enable: true }, retryOptions: { maxTries: 4, tryTimeoutInMs: 15000 } });
    expect(() => azureBlobConfigFromEnv({ AZURE_STORAGE_CONNECTION_STRING: CONNECTION })).toThrow(/AZURE_STORAGE_CONTAINER is not set/);
  });

  it('reports a hung service as a timeout', async () => {
    const hung = await azureBlobHealth({ getProperties: () => new Promise(() => {}) }, 20);
    expect(hung).toMatchObject({ ok: false, error: expect.stringMatching(/timed out/) });
  });

  it('retries an unreachable endpoint and then fails; the health check says so without the account key', async () => {
    const config = { connectionString: CONNECTION, container: 'uploads' };
    await expect(connectAzureBlob(config, { attempts: 2, sleep: async () => {} }, noRetries)).rejects.toThrow();
    const health = await azureBlobHealth(createAzureContainerClient(config, noRetries), 3000, CONNECTION);
    expect(health.ok).toBe(false);
    expect(health.error).not.toContain(KEY);
  });
});
`,
};
