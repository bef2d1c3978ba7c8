import type { ServiceEntry } from '../../catalog/schema.js';

/** What a driver's template gets: the service, the file header, and for tests the shared cases. */
export interface ConnectionContext {
  service: ServiceEntry;
  /** The generated file's opening lines (comment, and for tests the vitest import). */
  head: string;
  /** `<ClassName>Connection`. */
  cls: string;
  /** The retry-on-connect tests every connection suite starts with. */
  common: string;
}

/** One standard driver: its connection module and the vitest suite for it (no live server needed). */
export interface ConnectionTemplate {
  source: (context: ConnectionContext) => string;
  tests: (context: ConnectionContext) => string;
}

/** Shared by every connection module: retry on connect with exponential backoff and full jitter. */
export const RETRY = `export interface RetryOptions {
  /** Attempts, the first included. @default 5 */
  attempts?: number;
  /** First delay; doubles each attempt, with full jitter. @default 200 */
  initialDelayMs?: number;
  /** @default 5000 */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Runs \`connect\` until it succeeds or the attempts run out; rethrows the last error. */
export async function retryOnConnect<T>(connect: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await connect();
    } catch (error) {
      lastError = error;
      if (attempt === attempts) break;
      const ceiling = Math.min(options.maxDelayMs ?? 5000, (options.initialDelayMs ?? 200) * 2 ** (attempt - 1));
      await sleep(Math.floor(random() * ceiling));
    }
  }
  throw lastError;
}

export interface HealthStatus {
  ok: boolean;
  latencyMs: number;
  /** The error's message only: never the connection string. */
  error?: string;
}

async function timed(check: () => Promise<unknown>, timeoutMs: number, redact: string | undefined): Promise<HealthStatus> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(\`health check timed out after \${timeoutMs} ms\`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: Date.now() - started, error: redact ? message.split(redact).join('[redacted]') : message };
  } finally {
    clearTimeout(timer);
  }
}

function read(env: Record<string, string | undefined>, key: string): string {
  const value = env[key];
  if (!value) throw new Error(\`\${key} is not set; see .env.example\`);
  return value;
}
`;

/** Tests of retryOnConnect, first in every connection suite. */
export const COMMON_TESTS = `
  it('retries connect with exponential backoff and full jitter, then succeeds', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await retryOnConnect(async () => {
      calls++;
      if (calls < 3) throw new Error('ECONNREFUSED');
      return 'connected';
    }, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
    expect(result).toBe('connected');
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(retryOnConnect(async () => { calls++; throw new Error('down ' + calls); }, { attempts: 3, sleep: async () => {} })).rejects.toThrow('down 3');
    expect(calls).toBe(3);
  });
`;
