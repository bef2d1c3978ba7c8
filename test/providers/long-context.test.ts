import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_CONTEXT_BETA } from '../../src/providers/anthropic/anthropic-model.js';
import { agent, call, claudeAt, fakeClock, fakeServer, loopRun } from '../helpers/loop-harness.js';

const READS = 25;
/** Twenty-five reads of ~9,400 tokens each (50 KB files): 235,000 tokens, past a 200K window, well inside 1M. */
function bigReads(workspace: string) {
  for (let i = 0; i < READS; i++) writeFileSync(path.join(workspace, `big${i}.txt`), `file ${i} `.repeat(5_000).slice(0, 50_000));
  return [...Array.from({ length: READS }, (_, i) => call('read_file', { path: `big${i}.txt` }, `toolu_${i}`)), call('finish', { summary: 'read them all' }, 'toolu_f')];
}
// Only the window bounds the conversation here, not the cost policy.
const NO_THRESHOLD = { triggerTokens: 100_000_000, keepResults: 100 };

describe('`[1m]`: the 1M-token context window', () => {
  it('a [1m] model sends the context-1m beta header on every request; the same model without it sends none', async () => {
    const server = await fakeServer({ respond: () => call('finish', { summary: 'ok' }) });
    const long = await claudeAt(server, fakeClock(), 'sonnet[1m]');
    const plain = await claudeAt(server, fakeClock(), 'sonnet');
    expect(long.modelId).toBe(plain.modelId);
    expect(long.limits?.contextWindow).toBe(1_000_000);
    await loopRun().run(long);
    await loopRun().run(plain);
    expect(server.requests.map((r) => r.headers['anthropic-beta'])).toEqual([LONG_CONTEXT_BETA, undefined]);
    expect(server.requests.map((r) => r.body.model)).toEqual(['claude-sonnet-5-5', 'claude-sonnet-5-5']);
  });

  it('a 200K model: the loop clears old tool results before the prompt outgrows the window (no 400)', async () => {
    const run = loopRun();
    const server = await fakeServer({ respond: bigReads(run.workspace) });
    const result = await run.run(await claudeAt(server, fakeClock(), 'claude-sonnet-4-5'), { agent: agent({ maxTurns: READS + 2 }), context: NO_THRESHOLD });
    expect(result.result).toEqual({ summary: 'read them all' });
    expect(server.exchanges.every((e) => e.status === 200)).toBe(true);
    expect(run.events.filter((e) => e.type === 'context-compact').map((e) => (e as { reason: string }).reason)).toContain('window');
  });

  it('the same model with [1m]: the whole 235K-token conversation goes in one request, nothing cleared', async () => {
    const run = loopRun();
    const server = await fakeServer({ respond: bigReads(run.workspace) });
    const result = await run.run(await claudeAt(server, fakeClock(), 'claude-sonnet-4-5[1m]'), { agent: agent({ maxTurns: READS + 2 }), context: NO_THRESHOLD });
    expect(result.result).toEqual({ summary: 'read them all' });
    expect(server.exchanges.every((e) => e.status === 200)).toBe(true);
    expect(run.events.filter((e) => e.type === 'context-compact')).toEqual([]);
    const last = server.exchanges.at(-1)!.usage!;
    expect(last.input_tokens + last.cache_read_input_tokens + last.cache_creation_input_tokens).toBeGreaterThan(200_000);
  });
});
