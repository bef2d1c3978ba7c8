import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const TASKS = ['research', 'plan', 'configure', 'implement', 'persistence', 'tests', 'review', 'monitoring', 'docs'];

describe('output of a run (child process, offline)', () => {
  it('--json: newline-delimited JSON events and the result, nothing else on stdout', () => {
    const cwd = tempRepo();
    const { code, stdout, stderr } = runCli(['integrate', 'twilio', '--json'], cwd);
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const objects = lines.map((line) => JSON.parse(line) as { type: string; status?: string; runId?: string });
    expect(objects[0]!.type).toBe('run-start');
    expect(objects.at(-2)!.type).toBe('run-end');
    expect(objects.at(-1)).toMatchObject({ type: 'result', status: 'complete', runId: runFolders(cwd)[0] });
    expect(objects.filter((o) => o.type === 'task-end')).toHaveLength(TASKS.length);
    expect(stdout).not.toContain('Integration Complete');
  });

  it('--quiet: one line with status, run id and folder', () => {
    const cwd = tempRepo();
    const { code, stdout } = runCli(['integrate', 'twilio', '-q'], cwd);
    expect(code).toBe(0);
    const [runId] = runFolders(cwd);
    expect(stdout).toBe(`complete ${runId} ${path.join('pending-commits', runId!)}\n`);
  });

  it('not on a terminal: plain lines without colour codes; --verbose adds every file written', () => {
    const cwd = tempRepo();
    const plain = runCli(['integrate', 'twilio'], cwd);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('\x1b[');
    expect(plain.stdout).not.toMatch(/wrote /);
    const verbose = runCli(['integrate', 'twilio', '--verbose'], cwd);
    expect(verbose.stdout).toMatch(/^ {4}\+ research wrote note notes\/research\.md \(\d+ bytes\)$/m);
  }, 180_000);

  it('show and logs: the report, the timeline of every task, and the pretty log', () => {
    const cwd = tempRepo();
    expect(runCli(['integrate', 'twilio', '-q'], cwd).code).toBe(0);
    const [runId] = runFolders(cwd);
    const show = runCli(['show', 'last'], cwd);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Integration Complete: twilio');
    expect(show.stdout).toMatch(/^ {2}task +agent +model +status +start +time +tokens +cost +timeline$/m);
    for (const task of TASKS) expect(show.stdout).toMatch(new RegExp(`^  ${task} +[a-z-]+ +offline +done +\\S+ +\\S+ +[\\d.]+k? tok +\\$0 +█`, 'm'));
    const json = JSON.parse(runCli(['show', runId!.slice(0, 20), '--json'], cwd).stdout) as { runId: string; timeline: unknown[] };
    expect(json.runId).toBe(runId);
    expect(json.timeline).toHaveLength(TASKS.length);

    const logs = runCli(['logs', runId!, '--no-color'], cwd);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: run-start/m);
    expect(logs.stdout).not.toContain('\x1b[');
    const raw = runCli(['logs', runId!, '--json'], cwd).stdout.trim().split('\n');
    expect(raw.length).toBeGreaterThan(10);
    expect(raw.every((line) => typeof (JSON.parse(line) as { level: number }).level === 'number')).toBe(true);
    expect(runCli(['logs', runId!, '--level', 'error'], cwd).stdout).not.toContain('run-start');

    const unknown = runCli(['show', 'nosuchrun'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run "nosuchrun"/);
  }, 180_000);

  it('a workflow that fails exits 1, and the report says why', () => {
    const cwd = tempRepo({
      'agents/worker.md': '---\nname: worker\ndescription: test worker\n---\nYou work.\n',
      'workflows/gated.yaml':
        'name: gated\ndescription: a gate that cannot hold\nphases:\n  - id: first\n    name: First\n    tasks:\n      - { id: a, agent: worker, prompt: do a }\n  - id: second\n    name: Second\n    gate: { name: never, condition: { field: a.summary, equals: impossible } }\n    tasks:\n      - { id: b, agent: worker, prompt: do b }\n',
    });
    const { code, stdout } = runCli(['run', 'gated'], cwd);
    expect(code).toBe(1);
    expect(stdout).toMatch(/never/);
  });
});

describe('integrate custom-api <url>', () => {
  it('passes service custom-api, the url and the purpose as inputs; a URL that is not http(s) is bad input', () => {
    const cwd = tempRepo();
    const { code, stdout, stderr } = runCli(['integrate', 'custom-api', 'https://api.example.com/v1', 'billing', 'sync', '-q'], cwd);
    expect(code, stderr).toBe(0);
    const [runId] = runFolders(cwd);
    expect(stdout).toMatch(/^complete /);
    const manifest = JSON.parse(readFileSync(path.join(cwd, 'pending-commits', runId!, 'manifest.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(manifest.inputs).toEqual({ service: 'custom-api', url: 'https://api.example.com/v1', purpose: 'billing sync' });
    const bad = runCli(['integrate', 'custom-api', 'ftp://example.com'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"ftp:\/\/example\.com" is not an http\(s\) URL/);
    expect(runFolders(cwd)).toHaveLength(1);
  });
});

describe('secrets never reach the run log', () => {
  it('a planted service secret and API-key-like value are redacted by value, even at debug level', () => {
    const cwd = tempRepo();
    const planted = 'planted-twilio-token-4f3e2d1c0b';
    const { code, stderr } = runCli(['integrate', 'twilio', 'alerts', planted, '--log-level', 'debug', '--json'], cwd, { TWILIO_AUTH_TOKEN: planted });
    expect(code, stderr).toBe(0);
    const [runId] = runFolders(cwd);
    const log = readFileSync(path.join(cwd, 'pending-commits', runId!, 'run.log'), 'utf8');
    expect(log).toContain('"level":20'); // debug lines were written
    expect(log).toContain('[redacted]'); // the value reached the logger, and was cut
    expect(log).not.toContain(planted);
  });
});
