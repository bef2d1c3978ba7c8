import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/schema/events.js';
import type { FakeReply } from '../../src/testing/index.js';
import { agent, call, claudeAt, fakeServer, loopRun } from '../helpers/loop-harness.js';

type Block = Record<string, unknown>;
const contentOf = (message: { content: unknown }) => message.content as Block[];
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

async function post(url: string, body: unknown) {
  const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { content?: Block[]; error?: { message: string } } };
}

describe('the fake Messages API keeps thinking honest', () => {
  it('answers 400 when a thinking block comes back changed, or one of a turn is dropped', async () => {
    const server = await fakeServer({
      respond: () => ({ content: [{ type: 'thinking', thinking: 'first', signature: '' }, { type: 'tool_use', id: 'toolu_a', name: 'x', input: {} }, { type: 'thinking', thinking: 'second', signature: '' }, { type: 'tool_use', id: 'toolu_b', name: 'x', input: {} }] }),
    });
    const user = { role: 'user', content: 'hi' };
    const { json } = await post(server.url, { model: 'claude-haiku-5-5', max_tokens: 100, messages: [user] });
    const turn = json.content!;
    const results = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'ok' }, { type: 'tool_result', tool_use_id: 'toolu_b', content: 'ok' }] };
    const again = (content: Block[]) => post(server.url, { model: 'claude-haiku-5-5', max_tokens: 100, messages: [user, { role: 'assistant', content }, results] });

    expect((await again(turn)).status).toBe(200);
    const changed = await again(turn.map((b) => (b.thinking === 'first' ? { ...b, thinking: 'edited' } : b)));
    expect(changed).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining('Invalid `signature`') } } });
    const dropped = await again(turn.filter((b) => b.thinking !== 'second'));
    expect(dropped).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining('cannot be modified') } } });
  });
});

describe('replies that end early are recovered by the loop', () => {
  it('a reply cut at max_tokens in the middle of a tool call is asked again with twice the limit; the cut call never runs', async () => {
    const write = call('write_file', { path: 'big.ts', content: 'export const big = 1;\n' }, 'toolu_w');
    const server = await fakeServer({ respond: [{ ...write, stopReason: 'max_tokens' }, write, call('finish', { summary: 'ok' }, 'toolu_f')] });
    const run = loopRun();
    const result = await run.run(await claudeAt(server), { agent: agent({ maxTokens: 4000 }) });
    expect(result.result).toEqual({ summary: 'ok' });
    expect(server.requests.map((r) => r.body.max_tokens)).toEqual([4000, 8000, 8000]);
    // The cut reply is not in the conversation: the second request asks the same question as the first.
    expect(server.requests[1]!.body.messages).toEqual(server.requests[0]!.body.messages);
    expect(ofType(run.events, 'tool-call').map((e) => e.tool)).toEqual(['write_file', 'finish']);
    expect(ofType(run.events, 'reply-recover')).toEqual([expect.objectContaining({ reason: 'max-tokens-raised', detail: expect.stringContaining('8000') })]);
    expect(result.usage.turns).toBe(3);
  });

  it('at the model own output limit, the cut-off call is dropped, the complete ones run, and the agent is told to go on in smaller steps', async () => {
    const server = await fakeServer({
      respond: [
        {
          content: [
            { type: 'thinking', thinking: 'two files', signature: '' },
            { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: { path: 'a.ts', content: 'a\n' } },
            { type: 'tool_use', id: 'toolu_2', name: 'write_file', input: { path: 'b.ts', content: 'b'.repeat(400) } },
          ],
          stopReason: 'max_tokens',
        },
        call('finish', { summary: 'ok' }, 'toolu_3'),
      ],
    });
    const run = loopRun();
    const result = await run.run(await claudeAt(server), { agent: agent({ maxTokens: 128_000 }) });
    expect(result.result).toEqual({ summary: 'ok' });
    expect(run.staging.files().map((f) => f.path)).toEqual(['a.ts']);
    const [, assistant, user] = server.requests[1]!.body.messages;
    expect(contentOf(assistant!).map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    expect(contentOf(user!)).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1' }),
      expect.objectContaining({ type: 'text', text: expect.stringMatching(/cut off at the output limit \(128000 tokens\); its write_file call was incomplete and was not run/) }),
    ]);
    expect(ofType(run.events, 'reply-recover').map((e) => e.reason)).toEqual(['tool-call-cut']);
  });

  it('a paused turn (pause_turn) goes back as it is, and the continuation joins the same assistant turn', async () => {
    const paused: FakeReply = {
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'twilio signature' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://www.twilio.com/docs', title: 'Docs', encrypted_content: 'e' }] },
      ],
      stopReason: 'pause_turn',
    };
    const server = await fakeServer({ respond: [paused, call('finish', { summary: 'found it' }, 'toolu_f')] });
    const run = loopRun();
    // Only a request that offers the server tool can have it run (the fake server holds replies to that).
    const result = await run.run(await claudeAt(server), { research: { maxUses: 3, allowedDomains: ['twilio.com'] } });
    expect(result.result).toEqual({ summary: 'found it' });
    const messages = server.requests[1]!.body.messages;
    expect(messages.at(-1)!.role).toBe('assistant');
    expect(contentOf(messages.at(-1)!).map((b) => b.type)).toEqual(['server_tool_use', 'web_search_tool_result']);
    expect(ofType(run.events, 'reply-recover').map((e) => e.reason)).toEqual(['pause-continued']);
  });

  it('"prompt is too long": old tool results are cleared and the task goes on', async () => {
    const run = loopRun();
    for (let i = 0; i < 6; i++) writeFileSync(path.join(run.workspace, `f${i}.txt`), `${i}`.repeat(4000));
    const reads = Array.from({ length: 6 }, (_, i) => call('read_file', { path: `f${i}.txt` }, `toolu_${i}`));
    const server = await fakeServer({ respond: [...reads, call('finish', { summary: 'read them all' }, 'toolu_f')], contextWindow: () => 4000 });
    const result = await run.run(await claudeAt(server));
    expect(result.result).toEqual({ summary: 'read them all' });
    expect(server.exchanges.filter((e) => e.status === 400).length).toBeGreaterThan(0);
    const compactions = ofType(run.events, 'context-compact');
    expect(compactions.length).toBeGreaterThan(0);
    expect(compactions[0]).toMatchObject({ reason: 'window', cleared: expect.any(Number) });
    expect(compactions[0]!.tokensAfter).toBeLessThan(compactions[0]!.tokensBefore);
    const last = server.requests.at(-1)!.body.messages;
    expect(JSON.stringify(last)).toContain('cleared to keep the conversation inside the context window');
  });
});

describe('a long task keeps its input per request bounded', () => {
  it('25 reads of 40 KB files: every request stays under the policy bound and the task finishes', async () => {
    const run = loopRun();
    const files = 25;
    for (let i = 0; i < files; i++) writeFileSync(path.join(run.workspace, `doc${i}.md`), `${`doc ${i} `.repeat(5000)}\n`);
    const replies = [...Array.from({ length: files }, (_, i) => call('read_file', { path: `doc${i}.md` }, `toolu_${i}`)), call('finish', { summary: 'read every document' }, 'toolu_f')];
    const server = await fakeServer({ respond: replies });
    const result = await run.run(await claudeAt(server), { agent: agent({ maxTurns: 40 }), context: { triggerTokens: 60_000, keepResults: 4 } });
    expect(result.result).toEqual({ summary: 'read every document' });

    const inputs = server.exchanges.map((e) => e.usage!.input_tokens + e.usage!.cache_read_input_tokens + e.usage!.cache_creation_input_tokens);
    // Without clearing the last request would hold all 25 files: about 250,000 tokens.
    expect(Math.max(...inputs)).toBeLessThan(75_000);
    expect(inputs.at(-1)).toBeLessThan(75_000);
    expect(ofType(run.events, 'context-compact').length).toBeGreaterThan(0);
    // Clearing is seldom (it costs a cache write), so most input is still read from the cache.
    const read = server.exchanges.reduce((n, e) => n + e.usage!.cache_read_input_tokens, 0);
    expect(read / inputs.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.5);
  });
});
