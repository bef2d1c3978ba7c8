import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import { offlineEnv } from '../helpers/workspace.js';
import { copyWorkspace, journalEvents, orchestrate, runDirOf, seededTemplate } from './harness.js';

/** What `orchestrate resume` refuses, each with one line and exit 2, changing nothing. */
describe('orchestrate resume: what it refuses', () => {
  const env = offlineEnv({ NO_COLOR: '1' });
  let template: string;
  let killed: string;
  let runId: string;

  beforeAll(async () => {
    template = await seededTemplate();
    killed = copyWorkspace(template);
    const crash = await orchestrate(['integrate', 'twilio', '--quiet'], killed, { ...env, ORCHESTRATE_CRASH_AT: 'task-end:configure' });
    expect(crash.signal).toBe('SIGKILL');
    runId = path.basename(runDirOf(killed));
  }, 60_000);
  afterAll(() => {
    for (const dir of [template, killed]) rmSync(dir, { recursive: true, force: true });
  });

  async function refused(args: string[], cwd: string, message: RegExp): Promise<void> {
    const result = await orchestrate(args, cwd, env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  }

  it('no run id, an unknown one, and --dry-run', async () => {
    await refused(['resume'], killed, /name the run to resume: orchestrate resume <run-id>/);
    await refused(['resume', '20990101-000000-nope-000000'], killed, /no run "20990101-000000-nope-000000"/);
    await refused(['resume', runId, '--dry-run'], killed, /unknown option --dry-run/);
  });

  it('a run still running (its process alive) or in use by another resume', async () => {
    const dir = copyWorkspace(killed);
    try {
      const manifestFile = path.join(runDirOf(dir), 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(manifestFile, JSON.stringify({ ...manifest, owner: { pid: process.pid, host: hostname() } }));
      await refused(['resume', runId], dir, new RegExp(`run ${runId} is still running \\(pid ${process.pid}`));
      writeFileSync(manifestFile, JSON.stringify(manifest));
      writeFileSync(path.join(runDirOf(dir), '.lock'), JSON.stringify({ pid: process.pid, host: hostname() }));
      await expect(runWorkflow({ resume: runId, cwd: dir, provider: 'offline' })).rejects.toMatchObject({ code: 'RUN_BUSY' });
      expect(journalEvents(dir)).toEqual(journalEvents(killed));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resumes from code with runWorkflow({ resume }), then refuses the run once it is complete', async () => {
    const dir = copyWorkspace(killed);
    try {
      const result = await runWorkflow({ resume: runId, cwd: dir, runtime: { env } });
      expect(result).toMatchObject({ runId, status: 'complete' });
      expect(result.report.tasks.map((t) => t.status)).toEqual(Array(9).fill('done'));
      await refused(['resume', runId], dir, new RegExp(`run ${runId} is complete: there is nothing to resume; .*orchestrate apply ${runId}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
