import { discardRun } from '../../api/runs.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';
import { findRun } from '../run-lookup.js';

export const command: Command = {
  summary: "Throw away a run's staged files; it can no longer be applied",
  usage: `Usage: orchestrate discard <run-id> [options]

Deletes the files and notes a run staged and marks it discarded, so it can never be applied.
Its manifest, journal, log and report stay in pending-commits/<run-id>/ as the record.
A run still running, or already applied, is refused. <run-id> may be a unique prefix, or "last".

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate discard last
  orchestrate discard 20261122-010512-twilio-3f9a1c`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('discard', argv, COMMON_OPTIONS);
    noExtra(positionals.slice(1), 'discard');
    const workspace = workspaceOf(io, values.cwd);
    const { runId } = await findRun(workspace, positionals[0], 'discard');
    const result = await discardRun({ workspace, runId });
    if (values.json) io.out(JSON.stringify(result));
    else if (result.outcome === 'removed') io.out(`Removed run ${runId}: it was interrupted while being created, before it had a manifest.`);
    else io.out(result.outcome === 'discarded' ? `Discarded run ${runId}; its staged files are deleted.` : `Run ${runId} was already discarded.`);
    return 0;
  },
};
