import { describe, expect, it } from 'vitest';
import { TaskError, UserError } from '../../src/errors.js';
import type { ModelRequest } from '../../src/providers/model.js';
import type { FakeReply } from '../../src/testing/index.js';
import type { RetryNotice } from '../../src/providers/model.js';
import { call, claudeAt, fakeClock, fakeServer, loopRun } from '../helpers/loop-harness.js';

const request: ModelRequest = {
  system: ['You test things.'],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
  tools: [{ name: 'finish', description: 'finish', inputSchema: { type: 'object', properties: {} } }],
  maxTokens: 1024,
  context: { runId: 'r', workflow: 'w', task: 't', agent: 'a', inputs: {}, resultSchema: 'summary', needs: {}, expertise: { learnings: [], conventions: [] } },
};
const ok = call('finish', {}, 'toolu_ok');
const signal = () => ({ signal: new AbortController().signal });

async function generate(replies: FakeReply[]) {
  const server = await fakeServer({ respond: replies });
  const clock = fakeClock();
  const model = await claudeAt(server, clock);
  const retries: RetryNotice[] = [];
  const outcome = await model.generate(request, { ...signal(), onRetry: (notice) => retries.push(notice) }).then(
    (response) => ({ response, error: undefined }),
    (error: unknown) => ({ response: undefined, error }),
  );
  return { ...outcome, server, clock, retries };
}

describe('Anthropic provider errors and retries (the SDK retries are off; ours wait on the run clock)', () => {
  it('429 honours retry-after, then succeeds', async () => {
    const { response, server, clock } = await generate([{ status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after': '7' } }, ok]);
    expect(response?.content[0]).toMatchObject({ type: 'tool_use', name: 'finish' });
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('x-should-retry is obeyed: "false" stops a 529 at once, "true" retries even a 400', async () => {
    const refused = await generate([{ status: 529, type: 'overloaded_error', headers: { 'x-should-retry': 'false' } }, ok]);
    expect(refused.error).toMatchObject({ code: 'MODEL_OVERLOADED', message: expect.stringContaining('asked not to retry') });
    expect(refused.server.requests).toHaveLength(1);
    const retried = await generate([{ status: 400, type: 'invalid_request_error', message: 'transient', headers: { 'x-should-retry': 'true' } }, ok]);
    expect(retried.response).toBeDefined();
    expect(retried.server.requests).toHaveLength(2);
  });

  it('every retry is told with its status, wait and attempt, and the loop makes it an event', async () => {
    const { retries } = await generate([{ status: 429, type: 'rate_limit_error', headers: { 'retry-after': '2' } }, { status: 529, type: 'overloaded_error' }, ok]);
    expect(retries).toEqual([
      expect.objectContaining({ attempt: 1, status: 429, delayMs: 2000, code: 'RATE_LIMITED' }),
      expect.objectContaining({ attempt: 2, status: 529, delayMs: 2000, code: 'MODEL_OVERLOADED' }),
    ]);
    const server = await fakeServer({ respond: [{ status: 503, type: 'api_error' }, call('finish', { summary: 'ok' }, 't1')] });
    const run = loopRun();
    await run.run(await claudeAt(server));
    expect(run.events.filter((e) => e.type === 'model-retry')).toEqual([expect.objectContaining({ task: 'build', attempt: 1, status: 503, delayMs: 1000 })]);
  });

  it('529 overloaded retries with exponential backoff', async () => {
    const overloaded: FakeReply = { status: 529, type: 'overloaded_error', message: 'Overloaded' };
    const { response, server, clock } = await generate([overloaded, overloaded, overloaded, ok]);
    expect(response).toBeDefined();
    expect(server.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('500 then success', async () => {
    const { response, clock } = await generate([{ status: 500, type: 'api_error', message: 'Internal' }, ok]);
    expect(response?.stopReason).toBe('tool_use');
    expect(clock.sleeps).toEqual([1000]);
  });

  it('a connection reset is retried', async () => {
    const { response, server } = await generate([{ resetConnection: true }, ok]);
    expect(response).toBeDefined();
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after five attempts with a task error naming the status', async () => {
    const overloaded: FakeReply = { status: 529, type: 'overloaded_error', message: 'Overloaded' };
    const { error, server, clock } = await generate([overloaded, overloaded, overloaded, overloaded, overloaded, ok]);
    expect(error).toBeInstanceOf(TaskError);
    expect(error).toMatchObject({ code: 'MODEL_OVERLOADED', message: expect.stringMatching(/529 overloaded_error.*after 5 attempts/) });
    expect(server.requests).toHaveLength(5);
    expect(clock.sleeps).toHaveLength(4);
  });

  it('401 fails at once, naming ANTHROPIC_API_KEY, with no retry', async () => {
    const server = await fakeServer({ respond: [ok], apiKey: 'the-right-key' });
    const clock = fakeClock();
    const model = await claudeAt(server, clock);
    const error = await model.generate(request, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('ANTHROPIC_API_KEY') });
    expect((error as Error).message).not.toContain('sk-ant-test-key');
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('403 fails at once too', async () => {
    const { error, server } = await generate([{ status: 403, type: 'permission_error', message: 'no access' }, ok]);
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(server.requests).toHaveLength(1);
  });

  it('a retry-after longer than the policy allows fails instead of hanging', async () => {
    const { error, clock } = await generate([{ status: 429, type: 'rate_limit_error', headers: { 'retry-after': '3600' } }, ok]);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('3600 s') });
    expect(clock.sleeps).toEqual([]);
  });

  it('an unknown model is a user error naming it', async () => {
    const { error } = await generate([{ status: 404, type: 'not_found_error', message: 'model: claude-nope' }]);
    expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringContaining('claude-haiku-5-5') });
  });

  it('a 400 fails the task with the API message, without retrying', async () => {
    const { error, server } = await generate([{ status: 400, type: 'invalid_request_error', message: 'max_tokens: too large' }, ok]);
    expect(error).toMatchObject({ code: 'MODEL_REQUEST_REJECTED', message: expect.stringContaining('max_tokens: too large') });
    expect(server.requests).toHaveLength(1);
  });

  it('aborting cancels a retry wait', async () => {
    const server = await fakeServer({ respond: [{ status: 529, type: 'overloaded_error' }, ok] });
    const controller = new AbortController();
    const clock = fakeClock();
    const sleep = clock.sleep;
    clock.sleep = async (ms, s) => {
      controller.abort(new Error('stopped by the user'));
      return sleep(ms, s);
    };
    const model = await claudeAt(server, clock);
    await expect(model.generate(request, { signal: controller.signal })).rejects.toThrow('stopped by the user');
    expect(server.requests).toHaveLength(1);
  });

  it('prices usage from the table, cache reads and writes included', async () => {
    const { response } = await generate([ok]);
    const usage = response!.usage;
    const expected = (usage.inputTokens * 0.1 + usage.outputTokens * 0.5 + usage.cacheReadTokens * 0.01 + usage.cacheWriteTokens * 0.125) / 1e6;
    expect(usage.costUsd).toBeCloseTo(expected, 12);
    expect(usage.costUsd).toBeGreaterThan(0);
  });
});
