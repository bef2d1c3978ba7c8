import { RETRY, type ConnectionTemplate } from './common.js';

/** AWS Lambda through @aws-sdk/client-lambda: a pooled client, JSON invocation and a health check. */
export const lambda: ConnectionTemplate = {
  source: ({ head }) => `${head}import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, type InvokeCommandOutput, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { Agent } from 'node:https';

export interface LambdaConfig {
  region: string;
  functionName: string;
  /** A compatible endpoint (LocalStack) for tests. */
  endpoint?: string;
  /** Longest wait for a synchronous invocation; keep it above the function's own timeout. @default 30000 */
  invokeTimeoutMs: number;
}

/** From AWS_REGION and LAMBDA_FUNCTION_NAME; credentials come from the SDK's default provider chain. */
export function lambdaConfigFromEnv(env: Record<string, string | undefined> = process.env): LambdaConfig {
  return { region: read(env, 'AWS_REGION'), functionName: read(env, 'LAMBDA_FUNCTION_NAME'), invokeTimeoutMs: 30_000, ...(env.LAMBDA_ENDPOINT ? { endpoint: env.LAMBDA_ENDPOINT } : {}) };
}

/** Client options: a keep-alive socket pool, connect and request timeouts, SDK retries. */
export function lambdaClientConfig(config: LambdaConfig, overrides: Partial<LambdaClientConfig> = {}): LambdaClientConfig {
  return {
    region: config.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: config.invokeTimeoutMs, httpsAgent: new Agent({ keepAlive: true, maxSockets: 50 }) },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...overrides,
  };
}

/** An error the function itself raised (the invocation reached it): never retried here. */
export class LambdaFunctionError extends Error {
  constructor(
    readonly functionError: string,
    readonly payload: unknown,
  ) {
    super(\`the function failed: \${functionError}\`);
    this.name = 'LambdaFunctionError';
  }
}

/** What invokeJson needs from a client: LambdaClient, or a stand-in in tests. */
export interface LambdaInvoker {
  send(command: InvokeCommand): Promise<InvokeCommandOutput>;
}

/** Invokes the function synchronously with a JSON payload and returns its parsed JSON result. */
export async function invokeJson(client: LambdaInvoker, functionName: string, payload: unknown): Promise<unknown> {
  const output = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(payload ?? null)) }));
  const text = output.Payload ? new TextDecoder().decode(output.Payload) : '';
  const result: unknown = text ? JSON.parse(text) : undefined;
  if (output.FunctionError) throw new LambdaFunctionError(output.FunctionError, result);
  return result;
}

/** Creates the client and checks the function is reachable, retrying with backoff. */
export async function connectLambda(config: LambdaConfig, retry: RetryOptions = {}, overrides: Partial<LambdaClientConfig> = {}): Promise<LambdaClient> {
  const client = new LambdaClient(lambdaClientConfig(config, overrides));
  try {
    await retryOnConnect(() => client.send(new GetFunctionConfigurationCommand({ FunctionName: config.functionName })), retry);
    return client;
  } catch (error) {
    client.destroy();
    throw error;
  }
}

/** GetFunctionConfiguration within \`timeoutMs\`: healthy only when the function is Active. */
export function lambdaHealth(client: Pick<LambdaClient, 'send'>, functionName: string, timeoutMs = 3000): Promise<HealthStatus> {
  return timed(async () => {
    const { State } = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    if (State !== undefined && State !== 'Active') throw new Error(\`function \${functionName} is \${State}\`);
  }, timeoutMs, undefined);
}

${RETRY}`,
  tests: ({ head, cls, common }) => `${head}import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { connectLambda, invokeJson, lambdaClientConfig, lambdaConfigFromEnv, lambdaHealth, LambdaFunctionError, retryOnConnect, type LambdaInvoker } from '../connections/${cls}.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret-access-key' };

/** A stand-in client that answers one invocation and records what it was sent. */
function invoker(output: { payload: unknown; functionError?: string }) {
  const sent: InvokeCommand[] = [];
  const client: LambdaInvoker = {
    send: async (command) => {
      sent.push(command);
      const Payload = new TextEncoder().encode(JSON.stringify(output.payload)) as InvokeCommandOutput['Payload'];
      return { $metadata: {}, StatusCode: 200, Payload, ...(output.functionError ? { FunctionError: output.functionError } : {}) };
    },
  };
  return { client, sent };
}

describe('${cls}', () => {${common}
  it('reads AWS_REGION and LAMBDA_FUNCTION_NAME and sets timeouts, retries and a keep-alive pool', () => {
    const config = lambdaConfigFromEnv({ AWS_REGION: 'eu-west-1', LAMBDA_FUNCTION_NAME: 'resize' });
    expect(config).toEqual({ region: 'eu-west-1', functionName: 'resize', invokeTimeoutMs: 30000 });
    expect(lambdaClientConfig(config)).toMatchObject({ region: 'eu-west-1', maxAttempts: 3, requestHandler: { connectionTimeout: 3000, requestTimeout: 30000 } });
    expect(() => lambdaConfigFromEnv({ AWS_REGION: 'eu-west-1' })).toThrow(/LAMBDA_FUNCTION_NAME is not set/);
  });

  it('invokes synchronously with a JSON payload and parses the JSON result', async () => {
    const { client, sent } = invoker({ payload: { width: 100 } });
    await expect(invokeJson(client, 'resize', { size: 'small' })).resolves.toEqual({ width: 100 });
    expect(sent[0]!.input).toMatchObject({ FunctionName: 'resize', InvocationType: 'RequestResponse' });
    expect(new TextDecoder().decode(sent[0]!.input.Payload as Uint8Array)).toBe('{"size":"small"}');
  });

  it('raises the error the function reported, with its payload', async () => {
    const { client } = invoker({ payload: { errorMessage: 'boom' }, functionError: 'Unhandled' });
    const error = await invokeJson(client, 'resize', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaFunctionError);
    expect(error).toMatchObject({ functionError: 'Unhandled', payload: { errorMessage: 'boom' } });
  });

  it('retries an unreachable endpoint and then fails; the health check says so', async () => {
    const config = { region: 'eu-west-1', functionName: 'resize', endpoint: 'http://127.0.0.1:1', invokeTimeoutMs: 3000 };
    await expect(connectLambda(config, { attempts: 2, sleep: async () => {} }, { credentials, maxAttempts: 1 })).rejects.toThrow();
    const client = new LambdaClient(lambdaClientConfig(config, { credentials, maxAttempts: 1 }));
    const health = await lambdaHealth(client, 'resize', 3000);
    client.destroy();
    expect(health.ok).toBe(false);
  });
});
`,
};
