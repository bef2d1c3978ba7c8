import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credentialOf } from '../../src/testing/fake-anthropic-server.js';
import { agent, call, claudeAt, fakeServer, loopRun } from '../helpers/loop-harness.js';

describe('the Anthropic provider over real HTTP (fake Messages API server)', () => {
  it('runs a multi-turn tool loop that writes files, reads them back staged, and finishes', async () => {
    const server = await fakeServer({
      respond: [
        { content: [{ type: 'text', text: 'Writing the client.' }, { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: { path: 'src/client.ts', content: 'export const a = 1;\n' } }] },
        call('read_file', { path: 'src/client.ts' }, 'toolu_2'),
        call('edit_file', { path: 'src/client.ts', old_string: 'a = 1', new_string: 'a = 2' }, 'toolu_3'),
        call('record_learning', { insight: 'The client module exports a single constant.' }, 'toolu_4'),
        call('finish', { summary: 'Wrote src/client.ts.' }, 'toolu_5'),
      ],
    });
    const run = loopRun();
    const result = await run.run(await claudeAt(server));

    expect(result.result).toEqual({ summary: 'Wrote src/client.ts.' });
    expect(result.model).toBe('claude-haiku-5-5');
    expect(result.usage.turns).toBe(5);
    expect(await run.staging.read('src/client.ts')).toBe('export const a = 2;\n');
    expect(run.learnings).toHaveLength(1);
    server.assertComplete();

    // What went over the wire: the key, the task header, tool results paired with their calls.
    const [first, second] = server.requests;
    expect(credentialOf(first!.headers)).toBe('sk-ant-test-key');
    expect(first!.task).toBe('build');
    expect(first!.body.model).toBe('claude-haiku-5-5');
    expect(second!.body.messages.at(-1)!.content).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1', is_error: false, content: 'staged file src/client.ts (20 bytes)' }),
    ]);
    expect(server.requests[2]!.body.messages.at(-1)!.content).toEqual([expect.objectContaining({ tool_use_id: 'toolu_2', content: 'export const a = 1;\n' })]);
  });

  it('puts cache_control on the first and last system blocks (shared, then the agent own) and on the last two user turns', async () => {
    const server = await fakeServer({ respond: [call('list_files', { pattern: '**/*' }, 'toolu_1'), call('finish', { summary: 'done' }, 'toolu_2')] });
    await loopRun().run(await claudeAt(server), { system: ['agent prompt', 'expertise', 'run context'] });
    const body = server.requests[1]!.body;
    const system = body.system as Array<{ text: string; cache_control?: unknown }>;
    expect(system.map((b) => b.cache_control)).toEqual([{ type: 'ephemeral' }, undefined, { type: 'ephemeral' }]);
    const marked = body.messages.map((m) => (m.content as Array<{ cache_control?: unknown }>).some((b) => b.cache_control));
    expect(marked).toEqual([true, false, true]);
  });

  it('sends every assistant turn back exactly as received: interleaved thinking, text and tool calls, in order', async () => {
    // The 5.5 models' shape: thinking, text, tool_use, thinking, tool_use in one turn; the server signs the thinking.
    const turn = [
      { type: 'thinking' as const, thinking: 'Let me list files.', signature: '' },
      { type: 'text' as const, text: 'Looking around.' },
      { type: 'tool_use' as const, id: 'toolu_1', name: 'list_files', input: { pattern: '*' } },
      { type: 'thinking' as const, thinking: '', signature: '' },
      { type: 'redacted_thinking' as const, data: 'opaque' },
      { type: 'tool_use' as const, id: 'toolu_2', name: 'search', input: { pattern: 'x' } },
    ];
    const server = await fakeServer({ respond: [{ content: turn }, call('finish', { summary: 'done' }, 'toolu_3')] });
    const result = await loopRun().run(await claudeAt(server));
    expect(result.result).toEqual({ summary: 'done' });
    const sent = server.requests[1]!.body.messages[1]!.content as Array<Record<string, unknown>>;
    expect(sent.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use', 'thinking', 'redacted_thinking', 'tool_use']);
    expect(sent[0]).toMatchObject({ thinking: 'Let me list files.', signature: expect.stringMatching(/.+/) });
    expect(sent[3]).toMatchObject({ thinking: '', signature: expect.stringMatching(/.+/) });
    // Every request streamed.
    expect(server.requests.every((r) => r.body.stream === true)).toBe(true);
  });

  it('sends finish as a strict tool whose objects all close additionalProperties, and the agent effort where the model takes it', async () => {
    const server = await fakeServer({ respond: [call('finish', { summary: 'done' }, 'toolu_1')] });
    await loopRun().run(await claudeAt(server, undefined, 'opus'), { agent: agent({ effort: 'high', maxTokens: 50_000 }) });
    const body = server.requests[0]!.body;
    const finish = body.tools!.find((t) => t.name === 'finish') as { strict?: boolean; input_schema: { additionalProperties?: boolean } };
    expect(finish.strict).toBe(true);
    expect(finish.input_schema.additionalProperties).toBe(false);
    expect(body.tools!.filter((t) => (t as { strict?: boolean }).strict).map((t) => t.name)).toEqual(['finish']);
    expect(body.output_config).toEqual({ effort: 'high' });
    expect(body.max_tokens).toBe(50_000);
  });

  it('leaves effort out for a model that does not take it', async () => {
    const server = await fakeServer({ respond: [call('finish', { summary: 'done' }, 'toolu_1')] });
    await loopRun().run(await claudeAt(server, undefined, 'claude-haiku-4-5'), { agent: agent({ effort: 'high' }) });
    expect(server.requests[0]!.body.output_config).toBeUndefined();
  });

  it('never puts a secret from the environment into a request or a staged file', async () => {
    const server = await fakeServer({ respond: [call('finish', { summary: 'done' }, 'toolu_1')] });
    const run = loopRun();
    await run.run(await claudeAt(server));
    const wire = JSON.stringify(server.requests.map((r) => r.body));
    expect(wire).not.toContain('sk-ant-test-key');
    expect(() => readFileSync(`${run.workspace}/.env`)).toThrow();
  });
});
