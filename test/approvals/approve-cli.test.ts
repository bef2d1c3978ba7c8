import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalRepo, askingEnv, cli, journalOf, learningsOf, manifestOf, onlyRun, reportOf } from './approval-fixture.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('approvals from the command line', () => {
  it('without a terminal the run stops at the gate, awaiting approval; orchestrate approve in another process goes on', () => {
    const cwd = approvalRepo();
    const first = cli(['integrate', 'twilio'], cwd);
    expect(first.code, first.stderr).toBe(3); // waiting for an approval: neither done (0) nor failed (1)
    expect(first.stderr).toMatch(/is waiting for approval .*orchestrate approve /);
    const { runId, dir } = onlyRun(cwd);
    const waiting = manifestOf(dir);
    expect(waiting.status).toBe('awaiting-approval');
    expect(waiting.owner).toBeUndefined(); // nobody is asking: any process may answer
    const events = journalOf(dir);
    const started = events.filter((e) => e.type === 'task-start').map((e) => (e as { task: string }).task);
    expect(started.sort()).toEqual(['plan', 'research']); // nothing after the approval started
    expect(events.some((e) => e.type === 'approval-request' && e.phase === 'research-planning' && e.show === 'notes/integration-plan.md')).toBe(true);
    expect(events.some((e) => e.type === 'expertise-merge')).toBe(false);
    expect(cli(['runs'], cwd).stdout).toMatch(new RegExp(`${runId}\\s+awaiting-approval.*orchestrate approve ${runId}`));

    const approved = cli(['approve', runId, '--message', 'Use the fetch wrapper we already have', '--by', 'alice'], cwd);
    expect(approved.code, approved.stderr).toBe(0);
    expect(manifestOf(dir).status).toBe('complete');
    const after = journalOf(dir);
    const decision = after.find((e) => e.type === 'approval-decision');
    expect(decision).toMatchObject({ decision: 'approved', by: 'alice', via: 'command', message: 'Use the fetch wrapper we already have' });
    // The research and plan were not run again.
    expect(after.filter((e) => e.type === 'task-start' && e.task === 'research')).toHaveLength(1);
    const report = reportOf(dir);
    expect(report.status).toBe('complete');
    expect(report.approvals).toEqual([expect.objectContaining({ phase: 'research-planning', decision: 'approved', by: 'alice', via: 'command' })]);
    expect(approved.stdout).toMatch(/Approvals:\n- research-planning: approved by alice \(command\) at \S+: Use the fetch wrapper/);
    expect(learningsOf(cwd)).toContainEqual(expect.objectContaining({ insight: 'Use the fetch wrapper we already have', author: 'alice', agent: 'person', run_id: runId }));
  });

  it('rejected with a reason: the run ends rejected, nothing is applied, the reason is recorded and learned', () => {
    const cwd = approvalRepo();
    const waiting = cli(['integrate', 'stripe', '--quiet'], cwd);
    expect(waiting.stdout).toMatch(/^awaiting-approval /);
    expect(waiting.code).toBe(3);
    const { runId, dir } = onlyRun(cwd);
    const head = git(cwd, 'rev-parse', 'HEAD');

    const rejected = cli(['reject', runId, '-m', 'Use webhooks only, no polling', '--by', 'bob', '--quiet'], cwd);
    expect(rejected.code, rejected.stderr).toBe(0); // the rejection asked for was recorded
    expect(rejected.stdout).toMatch(/^rejected /);
    expect(manifestOf(dir).status).toBe('rejected');
    expect(manifestOf(dir).files).toEqual([]);
    const report = reportOf(dir);
    expect(report.status).toBe('rejected');
    expect(report.error).toMatchObject({ code: 'REJECTED' });
    expect(report.error?.message).toMatch(/Use webhooks only, no polling \(bob\)/);
    expect(journalOf(dir).filter((e) => e.type === 'task-start').map((e) => (e as { task: string }).task).sort()).toEqual(['plan', 'research']);
    expect(learningsOf(cwd)).toContainEqual(expect.objectContaining({ insight: 'Rejected at research-planning: Use webhooks only, no polling', author: 'bob' }));

    const apply = cli(['apply', runId], cwd);
    expect(apply.code).toBe(2);
    expect(apply.stderr.trim().split('\n')).toHaveLength(1);
    expect(git(cwd, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(cwd, 'branch', '--list', 'integration/*')).toBe('');
  });

  it('--yes approves without asking, and the report says so', () => {
    const cwd = approvalRepo();
    const result = cli(['integrate', 'twilio', '--yes', '--quiet'], cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^complete /);
    const { dir } = onlyRun(cwd);
    expect(reportOf(dir).approvals).toEqual([expect.objectContaining({ decision: 'approved', by: 'auto', via: 'auto' })]);
    // Nothing a person wrote: no learning with an author.
    expect(learningsOf(cwd).some((l) => l.agent === 'person')).toBe(false);
  });

  it('bad input: one line, exit 2, nothing changed', () => {
    const cwd = approvalRepo();
    expect(cli(['integrate', 'twilio', '--quiet', '--yes'], cwd).code).toBe(0);
    const { runId, dir } = onlyRun(cwd);
    const before = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    const journalBefore = readFileSync(path.join(dir, 'journal.jsonl'), 'utf8');
    const cases: Array<[string[], RegExp]> = [
      [['approve', runId], /run \S+ is not waiting for approval \(it is complete\)/],
      [['reject', runId, '-m', 'no'], /is not waiting for approval/],
      [['approve', '20990101-000000-nope-000000'], /no run "20990101-000000-nope-000000"/],
      [['approve'], /name the run: orchestrate approve <run-id>/],
      [['reject', runId], /say why: orchestrate reject <run-id> --message/],
    ];
    for (const [args, message] of cases) {
      const result = cli(args, cwd);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).toBe(journalBefore);
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  it('resume refuses a run awaiting approval and names approve and reject', () => {
    const cwd = approvalRepo();
    cli(['integrate', 'twilio', '--quiet'], cwd, askingEnv());
    const { runId } = onlyRun(cwd);
    const result = cli(['resume', runId], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`is waiting for approval: orchestrate approve ${runId}, or orchestrate reject ${runId}`));
  });
});
