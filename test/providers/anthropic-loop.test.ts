import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credentialOf } from '../../src/testing/fake-anthropic-server.js';
import { call, claudeAt, fakeServer, loopRun } from '../helpers/loop-harness.js';

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

  it('puts cache_control on the stable system prefix and on the last two user turns', async () => {
    const server = await fakeServer({ respond: [call('list_files', { pattern: '**/*' }, 'toolu_1'), call('finish', { summary: 'done' }, 'toolu_2')] });
    await loopRun().run(await claudeAt(server), { system: ['agent prompt', 'expertise', 'run context'] });
    const body = server.requests[1]!.body;
    const system = body.system as Array<{ text: string; cache_control?: unknown }>;
    expect(system.map((b) => b.cache_control)).toEqual([undefined, undefined, { type: 'ephemeral' }]);
    const marked = body.messages.map((m) => (m.content as Array<{ cache_control?: unknown }>).some((b) => b.cache_control));
    expect(marked).toEqual([true, false, true]);
  });

  it('sends thinking blocks back, unchanged, in the assistant turn that made the call', async () => {
    const server = await fakeServer({
      respond: [
        { content: [{ type: 'thinking', thinking: 'Let me list files.', signature: 'sig-1' }, { type: 'tool_use', id: 'toolu_1', name: 'list_files', input: { pattern: '*' } }] },
        call('finish', { summary: 'done' }, 'toolu_2'),
      ],
    });
    await loopRun().run(await claudeAt(server));
    expect(server.requests[1]!.body.messages[1]!.content).toEqual([
      { type: 'thinking', thinking: 'Let me list files.', signature: 'sig-1' },
      { type: 'tool_use', id: 'toolu_1', name: 'list_files', input: { pattern: '*' } },
    ]);
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
