import { applyRun, type ApplyResult } from '../../git/apply-run.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { CliIO, Command } from '../io.js';
import { findRun } from '../run-lookup.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  branch: { type: 'string' },
  here: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

export const command: Command = {
  summary: "Commit a run's staged files to the branch integration/<service>",
  usage: `Usage: orchestrate apply <run-id> [--branch <name> | --here] [--dry-run] [options]

Commits the files a complete run staged in pending-commits/<run-id>/ to the branch
integration/<service>, created from the checked-out commit if it does not exist, and switches
to it. The commit message is the run's COMMIT_MSG (edit it first if you like).
It refuses, changing nothing, when the repository is in a merge or rebase, when the secret
scan finds a secret in a staged file, or when a file it would write has uncommitted changes.
Applying a run twice does not commit twice. <run-id> may be a unique prefix, or "last".

  --branch <name>  commit to this branch instead (created when missing)
  --here           commit to the checked-out branch
  --dry-run        show what would change; change nothing

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate apply last --dry-run
  orchestrate apply 20261122-010512-twilio-3f9a1c
  orchestrate apply last --branch feature/twilio-sms`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('apply', argv, OPTIONS);
    noExtra(positionals.slice(1), 'apply');
    const workspace = workspaceOf(io, values.cwd);
    const { runId } = await findRun(workspace, positionals[0], 'apply');
    const result = await applyRun({
      workspace,
      runId,
      env: io.env,
      ...(values.branch !== undefined ? { branch: values.branch } : {}),
      ...(values.here ? { here: true } : {}),
      ...(values['dry-run'] ? { dryRun: true } : {}),
    });
    if (values.json) io.out(JSON.stringify(result));
    else printResult(result, io);
    return 0;
  },
};

function printResult(result: ApplyResult, io: CliIO): void {
  const short = result.commit?.slice(0, 12);
  if (result.outcome === 'already-applied') {
    io.out(`Run ${result.runId} is already applied: commit ${short} on ${result.branch}. Nothing to do.`);
    return;
  }
  const from = result.previousBranch ?? 'the detached HEAD';
  const where = result.createdBranch ? `new branch ${result.branch}, from ${from}` : `branch ${result.branch}`;
  io.out(
    result.outcome === 'dry-run'
      ? `Would apply run ${result.runId} to ${where}:`
      : result.outcome === 'unchanged'
        ? `Run ${result.runId}: ${result.branch} already has these contents; nothing to commit. Marked applied.`
        : `Applied run ${result.runId}: commit ${short} on ${where}.`,
  );
  const width = Math.max(0, ...result.changes.map((c) => c.path.length));
  for (const change of result.changes) {
    const edited = change.edited ? ' [edited after the run]' : '';
    io.out(`  ${change.action.padEnd(9)} ${change.path.padEnd(width)}  ${change.phase} (${change.agent})${edited}`);
  }
  if (result.outcome === 'dry-run') {
    io.out('Dry run: nothing was changed.');
  } else if (result.previousBranch && result.previousBranch !== result.branch) {
    io.out(`You are now on ${result.branch}; go back with: git switch ${result.previousBranch}`);
  }
}
