import { UserError } from '../../errors.js';
import { noExtra, parseCommandArgs, RUN_OPTIONS } from '../args.js';
import type { Command } from '../io.js';
import { invokeWorkflow, workspaceOf } from '../invoke.js';

const { 'dry-run': _dryRun, ...OPTIONS } = RUN_OPTIONS;

export const command: Command = {
  summary: 'Resume an interrupted run: done tasks are kept, the rest run',
  usage: `Usage: orchestrate resume <run-id> [options]

Resumes a run that was interrupted (Ctrl-C, or its process was killed): the run's journal says
what was done. Done tasks are not run again (no model call) and their outputs are reused; tasks
that were in flight run again from their start, replacing what they had staged; the learnings
are merged into the expertise once. The run keeps its id, folder, workflow and inputs, and the
provider it started with unless --provider says otherwise. "orchestrate runs" lists the
interrupted runs.

Options:
  --model <m>          Claude model for every agent: haiku, sonnet, opus or a full id
  --provider <p>       offline or anthropic (default: the one the run started with)
  --concurrency <n>    most tasks running at once (default 4)
  --budget-usd <x>     stop the run when its cost passes this many US dollars
  --record <dir>       save every model exchange; --replay <dir> runs from them offline
  --cwd <dir>          the repository the run belongs to (default: the current directory)
  --json, --quiet, --verbose, --no-color, --log-level <level>   as for orchestrate run

Examples:
  orchestrate runs
  orchestrate resume 20261122-010512-twilio-3f9a1c
  orchestrate resume 20261122-010512-twilio-3f9a1c --quiet`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('resume', argv, OPTIONS);
    const [runId, ...extra] = positionals;
    if (!runId) throw new UserError('MISSING_RUN_ID', 'name the run to resume: orchestrate resume <run-id> (interrupted runs are listed by orchestrate runs)');
    noExtra(extra, 'resume');
    // Read first, so a run that cannot be resumed is one clear line before anything starts.
    const { loadResumePoint } = await import('../../index.js');
    const point = await loadResumePoint(workspaceOf(io, values.cwd), runId);
    return invokeWorkflow({ workflow: point.workflow, inputs: point.inputs, flags: values, resume: point.runId }, io);
  },
};
