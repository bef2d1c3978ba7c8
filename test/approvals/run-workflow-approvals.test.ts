import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/index.js';
import type { ApprovalPrompt } from '../../src/run/approvals.js';
import { approvalRepo, journalOf, learningsOf, manifestOf } from './approval-fixture.js';

/** Every request of a task in a recording, as text. */
function requestsOf(recording: string, task: string): string {
  const dir = path.join(recording, task);
  return readdirSync(dir).map((file) => readFileSync(path.join(dir, file), 'utf8')).join('\n');
}

describe('runWorkflow and approvals', () => {
  it('without onApproval the run stops awaiting approval; resuming with the answer goes on', async () => {
    const cwd = approvalRepo();
    const first = await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd, runtime: { env: {} } });
    expect(first.status).toBe('awaiting-approval');
    expect(first.stagedFiles).toEqual([]);
    expect(manifestOf(first.runDir).status).toBe('awaiting-approval');
    const second = await runWorkflow({ resume: first.runId, cwd, approval: { decision: 'approved', by: 'carol' }, runtime: { env: {} } });
    expect(second.status).toBe('complete');
    expect(second.report.approvals).toEqual([expect.objectContaining({ by: 'carol', via: 'code', decision: 'approved' })]);
    // An answer for a run that is not waiting is refused.
    await expect(runWorkflow({ resume: first.runId, cwd, approval: { decision: 'approved', by: 'carol' }, runtime: { env: {} } })).rejects.toMatchObject({ code: 'NOT_AWAITING_APPROVAL' });
  });

  it('onApproval answers in code: it sees the plan, its note and edited plan reach the next tasks and the expertise', async () => {
    const cwd = approvalRepo();
    const recording = mkdtempSync(path.join(tmpdir(), 'orchestrate-approval-rec-'));
    try {
      const asked: ApprovalPrompt[] = [];
      const result = await runWorkflow({
        workflow: 'integrate',
        inputs: { service: 'twilio' },
        cwd,
        record: recording,
        runtime: { env: {} },
        onApproval: (prompt) => {
          asked.push(prompt);
          return { decision: 'approved', by: 'dana', message: 'Send SMS only; no voice calls', plan: `${prompt.show!.text}\n## Decided\nSMS only.\n` };
        },
      });
      expect(result.status).toBe('complete');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatchObject({ phase: 'research-planning', name: 'Research & Planning', show: { path: 'notes/integration-plan.md' } });
      expect(asked[0]!.show!.text).toMatch(/## Environment variables/);
      // The next tasks are told what the person decided; the tasks before were not.
      expect(requestsOf(recording, 'configure')).toContain('approved by dana, who wrote: Send SMS only; no voice calls');
      expect(requestsOf(recording, 'implement')).toContain('## Decided\\nSMS only.');
      expect(requestsOf(recording, 'plan')).not.toContain('Send SMS only');
      expect(journalOf(result.runDir).find((e) => e.type === 'approval-decision')).toMatchObject({ by: 'dana', via: 'code' });
      expect(learningsOf(cwd)).toContainEqual(expect.objectContaining({ insight: 'Send SMS only; no voice calls', author: 'dana' }));
      // The approved plan replaces the shown note in the run, so the plan reviewed and applied is the one approved.
      expect(readFileSync(path.join(result.runDir, 'notes', 'integration-plan.md'), 'utf8')).toBe(`${asked[0]!.show!.text}\n## Decided\nSMS only.\n`);
    } finally {
      rmSync(recording, { recursive: true, force: true });
    }
  });

  it('approve: auto approves without asking', async () => {
    const cwd = approvalRepo();
    const result = await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, cwd, approve: 'auto', onApproval: () => { throw new Error('not asked'); }, runtime: { env: {} } });
    expect(result.status).toBe('complete');
    expect(result.report.approvals?.[0]).toMatchObject({ by: 'auto', via: 'auto' });
  });
});
