import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/workspace.js';
import { approvalRepo, hasPython, journalOf, manifestOf, onlyRun, onTerminal, reportOf } from './approval-fixture.js';

/** The terminal's question, with the run's id as the first group (for the other process's argv). */
const ASKING = 'Approval: Research & Planning \\(run ([^)]+)\\)[\\s\\S]*then approve: ';

/** What the driver printed for the i-th process it started: its exit code and output. */
function otherRun(output: string, i: number): { code: number; text: string } {
  const match = new RegExp(`\\nRUN ${i} EXIT (\\d+)\\n([\\s\\S]*?)(?=\\nRUN \\d+ EXIT|\\n(?:EXIT|SIGNAL) \\d+\\n?$)`).exec(output);
  if (!match) throw new Error(`no RUN ${i} in:\n${output}`);
  return { code: Number(match[1]), text: match[2]! };
}

// The run asks on a real pseudo-terminal (python3's pty module); the answer comes from another process.
describe.runIf(hasPython)('an approval asked on a terminal, answered from another process', () => {
  it('orchestrate approve elsewhere: the question closes, the run goes on to the end, the approver is recorded', () => {
    const cwd = approvalRepo();
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [
      { expect: ASKING, run: [process.execPath, BIN, 'approve', '{1}', '--by', 'dana', '-m', 'Looks right'] },
    ]);
    expect(exit, output).toBe('EXIT 0');
    expect(output).toContain('Approved by dana (command): Looks right (answered elsewhere; this question is closed)');
    const approve = otherRun(output, 0);
    expect(approve.code, approve.text).toBe(0);
    expect(approve.text).toMatch(/approved at phase "research-planning" by dana; the run goes on in the process that asked \(pid \d+\)/);
    const { dir } = onlyRun(cwd);
    expect(manifestOf(dir).status).toBe('complete');
    const decisions = journalOf(dir).filter((e) => e.type === 'approval-decision');
    expect(decisions).toEqual([expect.objectContaining({ decision: 'approved', by: 'dana', via: 'command', message: 'Looks right' })]);
    expect(reportOf(dir).approvals).toEqual([expect.objectContaining({ decision: 'approved', by: 'dana', via: 'command' })]);
  });

  it('orchestrate reject elsewhere: the run ends rejected (exit 4) with the reason recorded', () => {
    const cwd = approvalRepo();
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [
      { expect: ASKING, run: [process.execPath, BIN, 'reject', '{1}', '--by', 'dana', '--message', 'Use webhooks, not polling'] },
    ]);
    expect(exit, output).toBe('EXIT 4');
    expect(output).toContain('Rejected by dana (command): Use webhooks, not polling');
    expect(otherRun(output, 0).code, output).toBe(0);
    const { dir } = onlyRun(cwd);
    expect(manifestOf(dir).status).toBe('rejected');
    const report = reportOf(dir);
    expect(report.approvals).toEqual([expect.objectContaining({ decision: 'rejected', by: 'dana', via: 'command', message: 'Use webhooks, not polling' })]);
    expect(report.error?.message).toContain('Use webhooks, not polling (dana)');
    expect(journalOf(dir).some((e) => e.type === 'task-start' && e.task === 'implement')).toBe(false);
  });

  it('two answers at once: the first wins, the other changes nothing and says why', () => {
    const cwd = approvalRepo();
    const { output, exit } = onTerminal(['integrate', 'twilio'], cwd, [
      { expect: ASKING, run: [process.execPath, BIN, 'approve', '{1}', '--by', 'dana'] },
      { expect: '', run: [process.execPath, BIN, 'reject', 'last', '--by', 'lee', '--message', 'too late'] },
    ]);
    const runs = [otherRun(output, 0), otherRun(output, 1)];
    const won = runs.filter((r) => r.code === 0);
    const lost = runs.filter((r) => r.code !== 0);
    expect(won, output).toHaveLength(1);
    expect(lost[0]?.code, output).toBe(2);
    expect(lost[0]?.text).toMatch(/already answered: (approved by dana|rejected by lee)|not waiting for approval/);
    const { dir } = onlyRun(cwd);
    const decisions = journalOf(dir).filter((e) => e.type === 'approval-decision');
    expect(decisions, output).toHaveLength(1);
    expect(exit).toBe(decisions[0]!.decision === 'approved' ? 'EXIT 0' : 'EXIT 4');
  });
});
