import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queueExecutor, removeQueue } from '../../src/executors/queue/index.js';
import { runWorkflow } from '../../src/run/run-workflow.js';
import { startFakeAnthropicServer, type FakeAnthropicServer, type FakeReply, type FakeRequest } from '../../src/testing/fake-anthropic-server.js';
import { describeNeeding, REDIS_URL } from '../helpers/needs.js';
import { tempRepo } from '../helpers/workspace.js';
import { startWorkerProcess } from './queue-workers.js';
import { stagedPath } from '../../src/staging/run-layout.js';
import { lastToolResult, turnOf } from './conformance.js';

const FILES = {
  'agents/builder.md': `---\nname: builder\ndescription: Reads and stages\ntools: Read, Write\nmodel: haiku\nmaxTurns: 6\n---\nYou build.\n`,
  'workflows/two.yaml': `name: two\ndescription: a plan, then a build that reads it\nphases:\n  - id: one\n    name: One\n    tasks:\n      - { id: plan, agent: builder, prompt: Plan. }\n  - id: two\n    name: Two\n    tasks:\n      - { id: build, agent: builder, prompt: Build. }\n`,
  'src/existing.ts': 'export const base = 1;\n',
};

const call = (name: string, input: unknown): FakeReply => ({ content: [{ type: 'tool_use', id: `c${Math.random()}`, name, input }], stopReason: 'tool_use' });

/** plan reads the repository's src/existing.ts and stages what it saw; build reads what plan staged. */
function reply(request: FakeRequest): FakeReply {
  const [reads, writes] = request.task === 'plan' ? ['src/existing.ts', 'src/a.ts'] : ['src/a.ts', 'src/b.ts'];
  const turn = turnOf(request);
  if (turn === 0) return call('read_file', { path: reads });
  if (turn === 1) return call('write_file', { path: writes, content: `// saw: ${lastToolResult(request)}\n` });
  return call('finish', { summary: 'done' });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

describeNeeding(['redis'], 'a queue worker that cannot read the run workspace fetches its base commit (git daemon on 127.0.0.1)', () => {
  const queue = `test-other-host-${process.pid}`;
  let api: FakeAnthropicServer;
  let daemon: ChildProcess | undefined;
  beforeAll(async () => {
    api = await startFakeAnthropicServer({ respond: reply });
  });
  afterAll(async () => {
    daemon?.kill('SIGTERM');
    await api.close();
    await removeQueue(REDIS_URL, queue);
  });

  it('runs every task from the fetched commit, once per commit, with staged files sent in the task and returned in the result; the run repository is untouched', async () => {
    const repo = tempRepo(FILES);
    const commit = git(repo, 'rev-parse', 'HEAD').trim();
    // Uncommitted in the run's workspace: a worker reading that path would see 2, the commit says 1.
    writeFileSync(path.join(repo, 'src/existing.ts'), 'export const base = 2;\n');
    const before = { status: git(repo, 'status', '--porcelain', '--ignored'), refs: git(repo, 'for-each-ref'), objects: git(repo, 'count-objects', '-v') };

    const port = await freePort();
    daemon = spawn('git', ['daemon', '--reuseaddr', '--verbose', '--export-all', `--listen=127.0.0.1`, `--port=${port}`, `--base-path=${path.dirname(repo)}`, repo], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      daemon!.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('Ready to rumble')) resolve();
      });
      daemon!.on('exit', () => reject(new Error(`git daemon exited: ${err}`)));
    });

    const cache = mkdtempSync(path.join(tmpdir(), 'orchestrate-workspaces-'));
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'orchestrate-worker-cwd-'));
    const env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: api.url };
    const worker = await startWorkerProcess(queue, env, ['--isolated', '--workspace-cache', cache], elsewhere);
    const executor = await queueExecutor({ redis: REDIS_URL, queue, gitUrl: `git://127.0.0.1:${port}/${path.basename(repo)}` });
    try {
      const result = await runWorkflow({ workflow: 'two', cwd: repo, provider: 'anthropic', runtime: { env }, executor });
      expect(result.status, `${JSON.stringify(result.report.error ?? result.report.tasks)}\n${worker.output()}`).toBe('complete');
      // plan saw the committed file, build saw what plan staged (sent with its task).
      expect(readFileSync(stagedPath(result.runDir, 'src/a.ts'), 'utf8')).toContain('export const base = 1;');
      expect(readFileSync(stagedPath(result.runDir, 'src/b.ts'), 'utf8')).toContain('// saw:');
      expect(readFileSync(stagedPath(result.runDir, 'src/b.ts'), 'utf8')).toContain('export const base = 1;');
      expect(result.report.tasks.map((t) => t.worker)).toEqual([worker.name, worker.name]);
      // Fetched once, into the cache under its commit, for both tasks.
      expect(worker.output().match(/fetched [0-9a-f]{12} from git:\/\/127\.0\.0\.1/g)).toHaveLength(1);
      expect(readFileSync(path.join(cache, commit, 'src/existing.ts'), 'utf8')).toBe('export const base = 1;\n');
      // Nothing the worker did touched the run's repository: the run folder is the run's own writing.
      const after = { status: git(repo, 'status', '--porcelain', '--ignored'), refs: git(repo, 'for-each-ref'), objects: git(repo, 'count-objects', '-v') };
      expect(after.refs).toBe(before.refs);
      expect(after.objects).toBe(before.objects);
      expect(after.status.split('\n').filter((line) => !line.includes('pending-commits') && !line.includes('expertise/'))).toEqual(before.status.split('\n').filter((line) => !line.includes('pending-commits') && !line.includes('expertise/')));
      expect(existsSync(path.join(elsewhere, 'pending-commits'))).toBe(false);
    } finally {
      await executor.close();
      await worker.stop();
    }
  }, 120_000);
});
