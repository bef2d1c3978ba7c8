import { RETRY, type ConnectionTemplate } from './common.js';

/** DynamoDB through @aws-sdk/client-dynamodb. */
export const dynamodb: ConnectionTemplate = {
  source: ({ head }) => `${head}import { DescribeTableCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { Agent } from 'node:https';

export interface DynamoDbConfig {
  region: string;
  table: string;
  /** DynamoDB Local or another compatible endpoint. */
  endpoint?: string;
}

/** From AWS_REGION, DYNAMODB_TABLE and DYNAMODB_ENDPOINT; credentials come from the SDK's default provider chain. */
export function dynamoDbConfigFromEnv(env: Record<string, string | undefined> = process.env): DynamoDbConfig {
  return { region: read(env, 'AWS_REGION'), table: read(env, 'DYNAMODB_TABLE'), ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}) };
}

/** Client options: a keep-alive socket pool, connect and request timeouts, SDK retries. */
export function dynamoDbClientConfig(config: DynamoDbConfig, overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClientConfig {
  return {
    region: config.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000, httpsAgent: new Agent({ keepAlive: true, maxSockets: 50 }) },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...overrides,
  };
}

/** Creates the client and checks the table is reachable, retrying with backoff. */
export async function connectDynamoDb(config: DynamoDbConfig, retry: RetryOptions = {}, overrides: Partial<DynamoDBClientConfig> = {}): Promise<DynamoDBClient> {
  const client = new DynamoDBClient(dynamoDbClientConfig(config, overrides));
  try {
    await retryOnConnect(() => client.send(new DescribeTableCommand({ TableName: config.table })), retry);
    return client;
  } catch (error) {
    client.destroy();
    throw error;
  }
}

/** DescribeTable within \`timeoutMs\`: healthy only when the table is ACTIVE. */
export function dynamoDbHealth(client: Pick<DynamoDBClient, 'send'>, table: string, timeoutMs = 3000): Promise<HealthStatus> {
  return timed(async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus !== 'ACTIVE') throw new Error(\`table \${table} is \${Table?.TableStatus ?? 'missing'}\`);
  }, timeoutMs, undefined);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { connectDynamoDb, dynamoDbClientConfig, dynamoDbConfigFromEnv, dynamoDbHealth, retryOnConnect } from '../connections/${cls}.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret-access-key' };

describe('${cls}', () => {${common}
  it('reads AWS_REGION, DYNAMODB_TABLE and DYNAMODB_ENDPOINT and sets timeouts, retries and a keep-alive pool', () => {
    const config = dynamoDbConfigFromEnv({ AWS_REGION: 'eu-west-1', DYNAMODB_TABLE: 'events', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(config).toEqual({ region: 'eu-west-1', table: 'events', endpoint: 'http://127.0.0.1:8000' });
    expect(dynamoDbClientConfig(config)).toMatchObject({ region: 'eu-west-1', maxAttempts: 3, requestHandler: { connectionTimeout: 3000, requestTimeout: 10000 } });
    expect(() => dynamoDbConfigFromEnv({ AWS_REGION: 'eu-west-1' })).toThrow(/DYNAMODB_TABLE is not set/);
  });

  it('reports a table that is not ACTIVE as unhealthy', async () => {
    const client = { send: async () => ({ Table: { TableStatus: 'CREATING' } }) } as unknown as Pick<DynamoDBClient, 'send'>;
    await expect(dynamoDbHealth(client, 'events')).resolves.toMatchObject({ ok: false, error: 'table events is CREATING' });
  });

  it('retries an unreachable endpoint and then fails; the health check says so', async () => {
    const config = { region: 'eu-west-1', table: 'events', endpoint: 'http://127.0.0.1:1' };
    await expect(connectDynamoDb(config, { attempts: 2, sleep: async () => {} }, { credentials, maxAttempts: 1 })).rejects.toThrow();
    const client = new DynamoDBClient(dynamoDbClientConfig(config, { credentials, maxAttempts: 1 }));
    const health = await dynamoDbHealth(client, 'events', 3000);
    client.destroy();
    expect(health.ok).toBe(false);
  });
});
`,
};
