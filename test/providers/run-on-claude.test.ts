import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import { modelResponder, ScriptedModel } from '../../src/testing/index.js';
import { fakeServer, tempDir } from '../helpers/loop-harness.js';
import { tempRepo } from '../helpers/workspace.js';

/** Long enough that the agent's system prompt is above the minimum cacheable size. */
const LONG_PROMPT = Array.from({ length: 120 }, (_, i) => `Rule ${i + 1}: write small, reviewed, tested files and explain each choice.`).join('\n');

const WORKFLOW = `name: pair
description: two sibling tasks on the same agent, then a review on another model
phases:
  - id: work
    name: Work
    tasks:
      - id: left
        agent: writer
        prompt: Write src/left.ts.
      - id: right
        agent: writer
        prompt: Write src/right.ts.
  - id: wrap
    name: Wrap
    tasks:
      - id: review
        agent: reviewer
        prompt: Review what was written.
`;

function workspace(): string {
  return tempRepo({
    'README.md': '# demo\n',
    'workflows/pair.yaml': WORKFLOW,
    'agents/writer.md': `---\nname: writer\ndescription: writes files\ntools: Read, Write\nmodel: haiku\nmaxTurns: 5\n---\n\nYou write files.\n${LONG_PROMPT}\n`,
    'agents/reviewer.md': `---\nname: reviewer\ndescription: reviews files\ntools: Read\nmodel: opus\nmaxTurns: 5\n---\n\nYou review files.\n${LONG_PROMPT}\n`,
  });
}

function script(): ScriptedModel {
  const write = (file: string) => [ScriptedModel.call('write_file', { path: file, content: `export const ${path.basename(file, '.ts')} = true;\n` }, `toolu_w_${path.basename(file, '.ts')}`), ScriptedModel.finish({ summary: `Wrote ${file}.` })];
  return new ScriptedModel({
    left: write('src/left.ts'),
    right: write('src/right.ts'),
    review: [ScriptedModel.call('read_file', { path: 'src/left.ts' }, 'toolu_r1'), ScriptedModel.finish({ summary: 'Both files are fine.' })],
  });
}

const env = (url: string) => ({ ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: url });

describe('runWorkflow on Claude (the fake Messages API server, the real SDK over HTTP)', () => {
  it('honours each agent model, reports the model of each task, and reads the cache after the first request', async () => {
    const model = script();
    const server = await fakeServer({ respond: modelResponder(model) });
    const cwd = workspace();
    const result = await runWorkflow({ workflow: 'pair', cwd, runtime: { env: env(server.url) } });

    expect(result.status).toBe('complete');
    model.assertComplete();
    expect(Object.fromEntries(result.report.tasks.map((t) => [t.id, t.model]))).toEqual({ left: 'claude-haiku-5-5', right: 'claude-haiku-5-5', review: 'claude-opus-5-5' });
    expect(result.stagedFiles.map((f) => f.path)).toEqual(['src/left.ts', 'src/right.ts']);
    expect(result.usage.cacheReadTokens).toBeGreaterThan(0);
    expect(result.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(result.report.usage.cacheReadTokens).toBe(result.usage.cacheReadTokens);

    // The siblings share their prefix: one wrote it, the other's first request read it.
    const firsts = ['left', 'right'].map((task) => server.exchanges.find((e) => e.request.task === task)!.usage!);
    expect(firsts.filter((u) => u.cache_creation_input_tokens > 0 && u.cache_read_input_tokens === 0)).toHaveLength(1);
    expect(firsts.filter((u) => u.cache_read_input_tokens > 0)).toHaveLength(1);
  });

  it('--model overrides every agent, and the report says so', async () => {
    const server = await fakeServer({ respond: modelResponder(script()) });
    const result = await runWorkflow({ workflow: 'pair', cwd: workspace(), model: 'sonnet', runtime: { env: env(server.url) } });
    expect(new Set(result.report.tasks.map((t) => t.model))).toEqual(new Set(['claude-sonnet-5-5']));
    expect(new Set(server.requests.map((r) => r.body.model))).toEqual(new Set(['claude-sonnet-5-5']));
  });

  it('a wrong key fails the tasks at once with a message naming ANTHROPIC_API_KEY', async () => {
    const server = await fakeServer({ respond: modelResponder(script()), apiKey: 'another-key' });
    const result = await runWorkflow({ workflow: 'pair', cwd: workspace(), runtime: { env: env(server.url) } });
    expect(result.status).toBe('failed');
    expect(result.report.tasks.find((t) => t.id === 'left')?.error?.message).toMatch(/ANTHROPIC_API_KEY/);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it('records a run, then replays it with no network and the same result; a changed request fails loudly', async () => {
    const server = await fakeServer({ respond: modelResponder(script()) });
    const recording = path.join(tempDir('orchestrate-rec-'), 'rec');
    const recorded = await runWorkflow({ workflow: 'pair', cwd: workspace(), record: recording, runtime: { env: env(server.url) } });
    expect(recorded.status).toBe('complete');
    expect(readdirSync(recording).sort()).toEqual(['left', 'recording.json', 'review', 'right']);
    expect(readFileSync(path.join(recording, 'left', '0001.json'), 'utf8')).not.toContain('sk-ant-test-key');
    await server.close();

    const replayed = await runWorkflow({ workflow: 'pair', cwd: workspace(), replay: recording, runtime: { env: {} } });
    expect(replayed.status).toBe('complete');
    expect(replayed.stagedFiles.map((f) => [f.path, f.sha256])).toEqual(recorded.stagedFiles.map((f) => [f.path, f.sha256]));
    expect(replayed.report.tasks.map((t) => t.model)).toEqual(recorded.report.tasks.map((t) => t.model));
    expect(replayed.usage).toEqual(recorded.usage);

    const changed = workspace();
    const yaml = readFileSync(path.join(changed, 'workflows/pair.yaml'), 'utf8').replace('Write src/left.ts.', 'Write src/left.ts carefully.');
    await import('node:fs').then((fs) => fs.writeFileSync(path.join(changed, 'workflows/pair.yaml'), yaml));
    const mismatch = await runWorkflow({ workflow: 'pair', cwd: changed, replay: recording, runtime: { env: {} } });
    expect(mismatch.status).toBe('failed');
    expect(mismatch.report.tasks.find((t) => t.id === 'left')?.error).toMatchObject({
      code: 'REPLAY_MISMATCH',
      message: expect.stringContaining('request.messages[0].content[0].text'),
    });
  });

  it('records a failed exchange too, so a replay fails the same way with no network', async () => {
    const server = await fakeServer({ respond: () => ({ status: 400, type: 'invalid_request_error', message: 'tools.0: schema rejected' }) });
    const recording = path.join(tempDir('orchestrate-rec-'), 'rec');
    const recorded = await runWorkflow({ workflow: 'pair', cwd: workspace(), record: recording, runtime: { env: env(server.url) } });
    expect(recorded.status).toBe('failed');
    await server.close();
    const replayed = await runWorkflow({ workflow: 'pair', cwd: workspace(), replay: recording, runtime: { env: {} } });
    expect(replayed.status).toBe('failed');
    // Which sibling fails first (and skips the review) is a race; the failures themselves are not.
    const errors = (r: typeof recorded) => r.report.tasks.flatMap((t) => (t.error && t.error.code !== 'SKIPPED' ? [{ task: t.id, code: t.error.code, message: t.error.message }] : []));
    expect(errors(replayed)).toEqual(errors(recorded));
    expect(errors(replayed)[0]).toMatchObject({ code: 'MODEL_REQUEST_REJECTED', message: expect.stringContaining('schema rejected') });
  });

  it('refuses to record over an existing recording, and to replay a missing one, before writing anything', async () => {
    const cwd = workspace();
    await expect(runWorkflow({ workflow: 'pair', cwd, replay: path.join(cwd, 'nope'), runtime: { env: {} } })).rejects.toMatchObject({ code: 'NO_RECORDING' });
    expect(existsSync(path.join(cwd, 'pending-commits'))).toBe(false);
  });
});
