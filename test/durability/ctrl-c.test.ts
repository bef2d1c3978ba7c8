import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlan } from '../../src/engine/plan.js';
import { BIN, offlineEnv } from '../helpers/workspace.js';
import { fakeClaudeFor, integratePlan } from './fake-claude.js';
import { copyWorkspace, doneTasks, journalEvents, orchestrate, resumedSession, runDirOf, seededTemplate, snapshot, type RunSnapshot } from './harness.js';
import { baseline } from './scenarios.js';

/**
 * Ctrl-C on a real child on the Anthropic provider: the fake server holds the `implement`
 * task's first request (the run is waiting on the model), then the test sends SIGINT.
 */
describe('Ctrl-C, then orchestrate resume', () => {
  const env = offlineEnv({ NO_COLOR: '1' });
  let template: string;
  let plan: RunPlan;
  let expected: RunSnapshot;

  beforeAll(async () => {
    template = await seededTemplate();
    plan = await integratePlan(template);
    expected = (await baseline({ template, env, withoutUsage: true, server: (cwd) => fakeClaudeFor(cwd, plan) })).snapshot;
  }, 120_000);
  afterAll(() => rmSync(template, { recursive: true, force: true }));

  /** Starts integrate, waits until `implement` is waiting on the model, sends SIGINT `times` times. */
  async function interrupt(cwd: string, times: 1 | 2) {
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    let hold = true;
    const server = await fakeClaudeFor(cwd, plan, {
      before: (request) => {
        if (!hold || request.task !== 'implement') return;
        held();
        return new Promise<void>(() => undefined); // never answered: the abort ends it
      },
    });
    const child = spawn(process.execPath, [BIN, 'integrate', 'twilio', '--quiet'], { cwd, env: { ...env, ...server.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let interrupting!: () => void;
    const sawInterrupting = new Promise<void>((resolve) => (interrupting = resolve));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('interrupting')) interrupting();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    expect(await Promise.race([holding.then(() => 'held'), exited.then(() => 'exited')]), stderr).toBe('held');
    child.kill('SIGINT');
    if (times === 2) {
      await sawInterrupting;
      child.kill('SIGINT');
    }
    const exit = await exited;
    hold = false;
    const requestsBefore = server.counts();
    return { exit, stderr: () => stderr, server, requestsBefore };
  }

  it('the first Ctrl-C stops, marks the run interrupted, prints the resume command and exits 130; the resume equals an uninterrupted run', async () => {
    const cwd = copyWorkspace(template);
    try {
      const { exit, stderr, server, requestsBefore } = await interrupt(cwd, 1);
      const runId = path.basename(runDirOf(cwd));
      expect(exit.code, stderr()).toBe(130);
      expect(stderr()).toContain(`Resume it with: orchestrate resume ${runId}`);
      const manifest = JSON.parse(readFileSync(path.join(runDirOf(cwd), 'manifest.json'), 'utf8')) as { status: string };
      expect(manifest.status).toBe('interrupted');
      const before = journalEvents(cwd);
      expect(before.at(-1)).toMatchObject({ type: 'run-end', status: 'cancelled' });
      expect([...doneTasks(before)].sort()).toEqual(['configure', 'plan', 'research']);
      // The expertise waits for the resume: nothing merged by the interrupted run.
      expect(before.some((e) => e.type === 'expertise-merge')).toBe(false);

      const runs = await orchestrate(['runs'], cwd, env);
      expect(runs.stdout).toMatch(new RegExp(`${runId}\\s+interrupted\\s+twilio.*orchestrate resume ${runId}`));

      const resumed = await orchestrate(['resume', runId, '--quiet'], cwd, { ...env, ...server.env });
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = server.counts();
      for (const task of ['research', 'plan', 'configure']) expect(after[task], task).toBe(requestsBefore[task]);
      expect(resumedSession(journalEvents(cwd)).filter((e) => e.type === 'task-start').map((e) => e.type === 'task-start' && e.task)).toEqual(['implement', 'persistence', 'tests', 'review', 'monitoring', 'docs']);
      expect(snapshot(cwd, { withoutUsage: true })).toEqual(expected);
      await server.close();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it('a second Ctrl-C exits at once with 130, and the run can still be resumed', async () => {
    const cwd = copyWorkspace(template);
    try {
      const { exit, stderr, server } = await interrupt(cwd, 2);
      const runId = path.basename(runDirOf(cwd));
      // The second signal lands while the first is winding the run down (then it stops at once
      // and says so), or just after the run ended (the normal interrupted exit): 130 either way.
      expect(exit.code, stderr()).toBe(130);
      expect(stderr()).toMatch(new RegExp(`(interrupted twice; stopping now.*|Resume it with: )orchestrate resume ${runId}`));
      const resumed = await orchestrate(['resume', runId, '--quiet'], cwd, { ...env, ...server.env });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(snapshot(cwd, { withoutUsage: true })).toEqual(expected);
      await server.close();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
