import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalRepo, askingEnv, cli, hasPython, journalOf, manifestOf, onlyRun, onTerminal, reportOf } from './approval-fixture.js';

// python3's pty module gives the CLI a real terminal: stdin and stdout are a tty, as for a person.
describe.runIf(hasPython)('approvals on a terminal (a real pseudo-terminal)', () => {
  it('shows the plan and waits; typing a and a note approves, and the run goes on', () => {
    const cwd = approvalRepo();
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [
      { expect: '\\[a\\]pprove, \\[r\\]eject, \\[e\\]dit the plan then approve: ', send: 'a\r' },
      { expect: 'A note for the next tasks', send: 'Keep it small\r' },
    ]);
    expect(exit, output).toBe('EXIT 0');
    expect(output).toContain('── Approval: Research & Planning');
    expect(output).toContain('notes/integration-plan.md:');
    expect(output).toMatch(/## Environment variables/); // the plan itself is shown
    const { dir } = onlyRun(cwd);
    expect(manifestOf(dir).status).toBe('complete');
    expect(journalOf(dir).find((e) => e.type === 'approval-decision')).toMatchObject({ decision: 'approved', via: 'terminal', message: 'Keep it small' });
  });

  it('e opens $EDITOR on the plan; the edited plan is approved and recorded', () => {
    const cwd = approvalRepo();
    const editor = path.join(cwd, 'edit-plan.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "\\n## Person\\nUse the v2 API only.\\n" >> "$1"\n');
    chmodSync(editor, 0o755);
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [
      { expect: 'then approve: ', send: 'e\r' },
      { expect: 'A note for the next tasks', send: '\r' },
    ], askingEnv({ EDITOR: editor }));
    expect(exit, output).toBe('EXIT 0');
    const { dir } = onlyRun(cwd);
    const decision = journalOf(dir).find((e) => e.type === 'approval-decision');
    expect(decision).toMatchObject({ decision: 'approved', via: 'terminal' });
    expect((decision as { plan?: string }).plan).toMatch(/## Person\nUse the v2 API only\.\n$/);
    expect(reportOf(dir).approvals?.[0]).toMatchObject({ editedPlan: true });
  });

  it('r asks why and rejects', () => {
    const cwd = approvalRepo();
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [
      { expect: 'then approve: ', send: 'maybe\r' },
      { expect: 'is not an answer', send: 'r\r' },
      { expect: 'Why\\?', send: 'Wrong service\r' },
    ]);
    expect(exit, output).toBe('EXIT 4'); // rejected by a person during the run
    const { dir } = onlyRun(cwd);
    expect(manifestOf(dir).status).toBe('rejected');
  });

  it('killed while it asks: orchestrate approve from another process goes on from the journal', () => {
    const cwd = approvalRepo();
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [{ expect: 'then approve: ', kill: 9 }]);
    expect(exit, output).toBe('SIGNAL 9');
    const { runId, dir } = onlyRun(cwd);
    // It was asking: the manifest says so, with the (now dead) process that asked.
    expect(manifestOf(dir)).toMatchObject({ status: 'awaiting-approval', owner: expect.anything() });
    const approved = cli(['approve', runId, '-m', 'go'], cwd);
    expect(approved.code, approved.stderr).toBe(0);
    expect(manifestOf(dir).status).toBe('complete');
    expect(journalOf(dir).filter((e) => e.type === 'task-start' && e.task === 'plan')).toHaveLength(1);
  });
});
