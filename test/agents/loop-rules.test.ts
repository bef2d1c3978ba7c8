import { readdirSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeReply } from '../../src/testing/index.js';
import { agent, call, claudeAt, fakeServer, loopRun, tempDir } from '../helpers/loop-harness.js';

/** The tool results the loop sent back in the request after `index`. */
function resultsSentAfter(server: Awaited<ReturnType<typeof fakeServer>>, index: number) {
  const last = server.requests[index + 1]!.body.messages.at(-1)!;
  return last.content as Array<{ type: string; content: string; is_error: boolean }>;
}

async function loopWith(replies: FakeReply[], options: Parameters<ReturnType<typeof loopRun>['run']>[1] = {}, workspace?: string) {
  const server = await fakeServer({ respond: replies });
  const run = loopRun(workspace);
  const outcome = await run.run(await claudeAt(server), options).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error: error as Error & { code: string; usage?: { turns: number }; model?: string } }),
  );
  return { ...outcome, server, run };
}

describe('the agent loop rules, over the real SDK and the fake server', () => {
  it('malformed tool input goes back to the model as an error, and the loop goes on', async () => {
    const { result, server } = await loopWith([call('write_file', { path: 'a.ts' }, 'toolu_1'), call('finish', { summary: 'ok' }, 'toolu_2')]);
    expect(result?.result).toEqual({ summary: 'ok' });
    expect(resultsSentAfter(server, 0)).toEqual([expect.objectContaining({ is_error: true, content: expect.stringMatching(/invalid input for write_file: content/) })]);
  });

  it('an unknown tool name goes back as an error listing the tools', async () => {
    const { result, server } = await loopWith([call('delete_everything', {}, 'toolu_1'), call('finish', { summary: 'ok' }, 'toolu_2')]);
    expect(result).toBeDefined();
    expect(resultsSentAfter(server, 0)[0]).toMatchObject({ is_error: true, content: expect.stringMatching(/unknown tool "delete_everything".*read_file/) });
  });

  it('an invalid finish result goes back with the problems, a bounded number of times', async () => {
    const bad = (id: string) => call('finish', { summary: '' }, id);
    const { error, server } = await loopWith([bad('t1'), bad('t2'), bad('t3'), call('finish', { summary: 'never reached' }, 't4')]);
    expect(error).toMatchObject({ code: 'INVALID_RESULT' });
    expect(resultsSentAfter(server, 0)[0]).toMatchObject({ is_error: true, content: expect.stringContaining('invalid result: summary') });
    expect(server.requests).toHaveLength(3);
  });

  it('an invalid result followed by a valid one finishes', async () => {
    const { result } = await loopWith([call('finish', { wrong: 1 }, 't1'), call('finish', { summary: 'fixed' }, 't2')]);
    expect(result?.result).toEqual({ summary: 'fixed' });
  });

  it('the same failing call three times stops the task with LOOP_DETECTED', async () => {
    const same = (id: string) => call('read_file', { path: 'missing.ts' }, id);
    const { error, server } = await loopWith([same('t1'), same('t2'), same('t3'), call('finish', { summary: 'x' }, 't4')]);
    expect(error).toMatchObject({ code: 'LOOP_DETECTED', message: expect.stringContaining('read_file') });
    expect(server.requests).toHaveLength(3);
  });

  it('a refusal ends the task', async () => {
    const { error } = await loopWith([{ content: [{ type: 'text', text: 'I cannot help with that.' }], stopReason: 'refusal' }]);
    expect(error).toMatchObject({ code: 'REFUSED', message: expect.stringContaining('I cannot help with that.') });
  });

  it('a model that never calls finish is reminded, then stopped with NO_FINISH', async () => {
    const talk: FakeReply = { content: [{ type: 'text', text: 'I think I am done.' }] };
    const { error, server } = await loopWith([talk, talk, talk, talk]);
    expect(error).toMatchObject({ code: 'NO_FINISH' });
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]!.body.messages.at(-1)!.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining('call finish') })]);
  });

  it('maxTurns from the frontmatter is enforced', async () => {
    const replies = Array.from({ length: 5 }, (_, i) => call('list_files', { pattern: `src/${i}/**` }, `t${i}`));
    const { error, server } = await loopWith(replies, { agent: agent({ maxTurns: 3 }) });
    expect(error).toMatchObject({ code: 'MAX_TURNS', message: expect.stringContaining('3 turns') });
    expect(server.requests).toHaveLength(3);
  });

  it('a model that tries ../, absolute paths and a symlink escape gets errors, and nothing is written outside', async () => {
    const root = tempDir('orchestrate-escape-loop-');
    const workspace = path.join(root, 'repo');
    const outside = path.join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.txt'), 'CONFIDENTIAL-CONTENT');
    symlinkSync(outside, path.join(workspace, 'out'));
    const { result, server, run } = await loopWith(
      [
        {
          content: [
            { type: 'tool_use', id: 't1', name: 'read_file', input: { path: '../outside/secret.txt' } },
            { type: 'tool_use', id: 't2', name: 'read_file', input: { path: path.join(outside, 'secret.txt') } },
            { type: 'tool_use', id: 't3', name: 'read_file', input: { path: 'out/secret.txt' } },
            { type: 'tool_use', id: 't4', name: 'write_file', input: { path: '../outside/evil.txt', content: 'x' } },
            { type: 'tool_use', id: 't5', name: 'write_file', input: { path: path.join(outside, 'evil.txt'), content: 'x' } },
            { type: 'tool_use', id: 't6', name: 'write_file', input: { path: 'out/evil.txt', content: 'x' } },
          ],
        },
        call('finish', { summary: 'gave up' }, 't7'),
      ],
      {},
      workspace,
    );
    expect(result?.result).toEqual({ summary: 'gave up' });
    const sent = resultsSentAfter(server, 0);
    expect(sent).toHaveLength(6);
    expect(sent.every((r) => r.is_error)).toBe(true);
    expect(sent.map((r) => r.content).join('\n')).not.toContain('CONFIDENTIAL');
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(run.staging.files()).toEqual([]);
  });
});
