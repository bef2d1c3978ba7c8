import { applyRun, type ApplyResult } from '../../index.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { CliIO, Command } from '../io.js';
import { findRun } from '../run-lookup.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  branch: { type: 'string' },
  here: { type: 'boolean' },
  onto: { type: 'string' },
  force: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

export const command: Command = {
  summary: "Commit a run's staged files to the branch integration/<service>",
  usage: `Usage: orchestrate apply <run-id> [--branch <name> | --here] [--onto <ref>] [--dry-run] [options]

Commits the files a complete run staged in pending-commits/<run-id>/ to the branch
integration/<service> and switches to it. A new branch starts at the tip of the branch the run
was made on (or --onto <ref>). Each file that exists on the branch is merged three ways (the
commit the run was made on, the branch, the run's version) with git merge-file, so lines added
since are kept; the output says which files were added and which merged. The commit message
is the run's COMMIT_MSG (edit it first if you like).
It refuses, changing nothing, when the repository is in a merge or rebase, when the secret
scan finds a secret in a staged file, when a file it would write has uncommitted changes
(exit 2), or when a file conflicts with the branch (exit 1, naming each file and hunk).
One apply runs at a time per repository. <run-id> may be a unique prefix, or "last".

  --branch <name>  commit to this branch instead (created when missing)
  --here           commit to the checked-out branch
  --onto <ref>     start a new branch at this branch, tag or commit
  --force          remove modules other files still import (refused without it)
  --dry-run        show what would change; change nothing

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate apply last --dry-run
  orchestrate apply 20261122-010512-twilio-3f9a1c
  orchestrate apply last --branch feature/twilio-sms
  orchestrate apply last --onto main`,
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
      ...(values.onto !== undefined ? { onto: values.onto } : {}),
      ...(values.force ? { force: true } : {}),
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
    io.out(`Run ${result.runId} was already committed: commit ${short} on ${result.branch}. Recorded it as applied.`);
    return;
  }
  const from = result.startedFrom ?? result.previousBranch ?? 'the detached HEAD';
  const where = result.createdBranch ? `new branch ${result.branch}, from ${from}` : `branch ${result.branch}`;
  io.out(
    result.outcome === 'dry-run'
      ? `Would apply run ${result.runId} to ${where}:`
      : result.outcome === 'unchanged'
        ? `Run ${result.runId}: ${result.branch} already has these contents; nothing to commit. Marked applied.`
        : `Applied run ${result.runId}: commit ${short} on ${where}.`,
  );
  const width = Math.max(0, ...result.changes.map((c) => c.path.length));
  const merged = result.changes.filter((c) => c.action === 'merge').length;
  const added = result.changes.filter((c) => c.action === 'add').length;
  if (result.changes.length) io.out(`  ${added} added, ${merged} merged with changes made since the run, ${result.changes.length - added - merged} other`);
  for (const change of result.changes) {
    const edited = change.edited ? ' [edited after the run]' : '';
    io.out(`  ${change.action.padEnd(9)} ${change.path.padEnd(width)}  ${change.phase} (${change.agent})${edited}`);
  }
  for (const file of result.expertise.committed) io.out(`  expertise ${file}: the run's learnings and catalog entry, merged onto the branch's version (your uncommitted lines stay uncommitted)`);
  for (const line of result.expertise.skipped) io.out(`  expertise not committed: ${line}`);
  if (result.outcome === 'dry-run') {
    io.out('Dry run: nothing was changed.');
  } else if (result.previousBranch && result.previousBranch !== result.branch) {
    io.out(`You are now on ${result.branch}; go back with: git switch ${result.previousBranch}`);
  }
}
