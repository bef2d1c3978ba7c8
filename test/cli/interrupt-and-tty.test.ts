import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, offlineEnv, runFolders, tempRepo } from '../helpers/workspace.js';

/** A Messages API endpoint that accepts a request and never answers: the run waits on it. */
async function hangingServer(): Promise<{ url: string; firstRequest: Promise<void>; close: () => Promise<void> }> {
  let received!: () => void;
  const firstRequest = new Promise<void>((resolve) => (received = resolve));
  const open: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    open.push(response);
    received();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    firstRequest,
    close: () => new Promise((resolve) => {
      for (const response of open) response.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('Ctrl-C', () => {
  it('a real child process gets SIGINT mid-run: exit 130, run marked cancelled, nothing corrupted', async () => {
    const cwd = tempRepo();
    const server = await hangingServer();
    try {
      const env = { ...offlineEnv({ ANTHROPIC_BASE_URL: server.url }), ANTHROPIC_API_KEY: 'test-key-not-real-0000' };
      const child = spawn(process.execPath, [BIN, 'integrate', 'twilio', '--provider', 'anthropic'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // An agent is waiting on the model: the run is in flight. (A child that exits first fails the test.)
      const first = await Promise.race([server.firstRequest.then(() => 'request' as const), exited.then(() => 'exited' as const)]);
      expect(first, stderr).toBe('request');
      child.kill('SIGINT');
      const code = await exited;
      expect(code, stderr).toBe(130);
      expect(stderr).toMatch(/interrupting/);
      const [runId] = runFolders(cwd);
      const manifest = JSON.parse(readFileSync(path.join(cwd, 'pending-commits', runId!, 'manifest.json'), 'utf8')) as { status: string };
      expect(['cancelled', 'interrupted']).toContain(manifest.status);
      const journal = readFileSync(path.join(cwd, 'pending-commits', runId!, 'journal.jsonl'), 'utf8').trim().split('\n');
      for (const line of journal) JSON.parse(line);
    } finally {
      await server.close();
    }
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasScript)('on a terminal (a real pseudo-terminal through script(1))', () => {
  it('draws the live tree in place, then the report', () => {
    const cwd = tempRepo();
    const env = offlineEnv({ TERM: 'xterm-256color', COLUMNS: '120' });
    delete env.CI;
    delete env.NO_COLOR;
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} integrate twilio`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toContain('\x1b[?25l'); // cursor hidden while drawing
    expect(out).toMatch(/\x1b\[\d+F\x1b\[J/); // moved up over the last frame and redrawn
    expect(out).toContain('\x1b[?25h'); // and shown again
    const lastFrame = out.slice(out.lastIndexOf('\x1b[J'));
    // eslint-disable-next-line no-control-regex
    const plain = lastFrame.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain).toMatch(/9\/9 tasks/);
    expect(plain).toMatch(/✓ docs +documentation-expert/);
    expect(plain).toContain('Integration Complete: twilio');
    expect(existsSync(path.join(cwd, 'pending-commits'))).toBe(true);
  });

  it('NO_COLOR on a terminal: the tree, without colour codes', () => {
    const cwd = tempRepo();
    const env = offlineEnv({ TERM: 'xterm-256color', NO_COLOR: '1' });
    delete env.CI;
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} integrate twilio`;
    const out = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env, encoding: 'utf8', timeout: 60_000 }).stdout;
    expect(out).toMatch(/\x1b\[\d+F/);
    expect(out).not.toMatch(/\x1b\[(3\d|1|2)m/);
  });
});
