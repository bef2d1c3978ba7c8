import { UserError } from '../../errors.js';
import { approver } from '../approval-prompt.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import type { Command } from '../io.js';
import { invokeWorkflow, workspaceOf } from '../invoke.js';
import { findRun } from '../run-lookup.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  message: { type: 'string', short: 'm' },
  by: { type: 'string' },
  concurrency: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

/**
 * `orchestrate approve` and `orchestrate reject`: answers the approval a run stopped at, from its
 * journal, in this process. Approved, the run goes on where it stopped; rejected, it ends
 * `rejected` and nothing after the approval runs.
 */
export function approvalCommand(decision: 'approved' | 'rejected'): Command {
  const name = decision === 'approved' ? 'approve' : 'reject';
  return {
    summary: decision === 'approved' ? 'Approve a run waiting at an approval; it goes on' : 'Reject a run waiting at an approval, with the reason; it ends',
    usage: `Usage: orchestrate ${name} <run-id> ${decision === 'approved' ? '[--message <note>]' : '--message <why>'} [options]

${
  decision === 'approved'
    ? `Approves the approval a run is waiting for (status awaiting-approval in orchestrate runs) and
goes on with the run from its journal, here: the tasks after the approval run now. The note
reaches those tasks as context and is recorded as a learning with your name.`
    : `Rejects the approval a run is waiting for: the run ends rejected, nothing after the approval
runs and it cannot be applied. The reason is recorded in the journal and the report, and as a
learning with your name, so the next run starts from it.`
}
<run-id> may be a unique prefix, or "last".

  --message, -m <text>  ${decision === 'approved' ? 'a note for the next tasks' : 'why (required)'}
  --by <name>           who answers (default: ORCHESTRATE_USER, else your login name)
  --concurrency <n>     most tasks running at once (default 4)
  --cwd <dir>           the repository the run belongs to (default: the current directory)
  --json, --quiet, --verbose, --no-color, --log-level <level>   as for orchestrate run

Examples:
  orchestrate runs
  orchestrate ${name} last ${decision === 'approved' ? '--message "Use the existing HTTP client"' : '--message "Use webhooks, not polling"'}`,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(name, argv, OPTIONS);
      noExtra(positionals.slice(1), name);
      const message = values.message?.trim();
      if (decision === 'rejected' && !message) throw new UserError('MISSING_REASON', `say why: orchestrate reject <run-id> --message "<why>" (the reason is recorded and learned)`);
      const workspace = workspaceOf(io, values.cwd);
      const { runId } = await findRun(workspace, positionals[0], name);
      const approval = { decision, by: approver(values.by, io.env), via: 'command' as const, ...(message ? { message } : {}) };
      const { answerLiveApproval, loadResumePoint } = await import('../../index.js');
      // Asked live on a terminal in another process: the answer goes to it, and the run goes on (or ends) there.
      const handed = await answerLiveApproval(workspace, runId, approval);
      if (handed?.decision) {
        const { owner, phase, decision: recorded } = handed;
        if (values.json) io.out(JSON.stringify({ runId, phase, decision: recorded.decision, by: recorded.by, via: recorded.via, pid: owner.pid }));
        else io.out(`run ${runId}: ${recorded.decision} at phase "${phase}" by ${recorded.by}; the run ${recorded.decision === 'approved' ? 'goes on' : 'ends rejected'} in the process that asked (pid ${owner.pid})`);
        return 0;
      }
      // Checked first, so a run that is not waiting is one clear line before anything starts.
      const point = await loadResumePoint(workspace, runId, { answering: true });
      return invokeWorkflow({ workflow: point.workflow, inputs: point.inputs, flags: values, resume: point.runId, approval }, io);
    },
  };
}
