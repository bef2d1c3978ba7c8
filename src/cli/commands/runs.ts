import { formatAge, summarizeRuns, type RunSummary } from '../../api/runs.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';

export const command: Command = {
  summary: 'List the runs: status, service, age, cost, and what to do next',
  usage: `Usage: orchestrate runs [options]

Lists the runs in pending-commits/, newest first, with their status: running, complete,
failed, interrupted (its process is gone; resume it or discard it), applied or discarded.

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate runs
  orchestrate runs --json | jq '.[] | select(.status == "complete") | .runId'`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('runs', argv, COMMON_OPTIONS);
    noExtra(positionals, 'runs');
    const workspace = workspaceOf(io, values.cwd);
    const runs = await summarizeRuns(workspace, Date.now());
    if (values.json) {
      io.out(JSON.stringify(runs));
      return 0;
    }
    if (!runs.length) {
      io.out('No runs yet. Start one with: orchestrate integrate <service>');
      return 0;
    }
    for (const line of renderRuns(runs)) io.out(line);
    return 0;
  },
};

/** The runs as an aligned table, one row each, with the next step in the last column. */
export function renderRuns(runs: readonly RunSummary[]): string[] {
  const rows = runs.map((run) => [
    run.runId,
    run.status,
    run.service ?? run.workflow ?? '?',
    run.ageMs === undefined ? '?' : formatAge(run.ageMs),
    run.costUsd === undefined ? '-' : `$${run.costUsd.toFixed(2)}`,
    `${run.files}${run.deletions ? ` -${run.deletions}` : ''}`,
    run.applied ? `${run.applied.commit.slice(0, 12)} on ${run.applied.branch}` : (run.hint ?? run.problem ?? ''),
  ]);
  const header = ['RUN', 'STATUS', 'SERVICE', 'AGE', 'COST', 'FILES', 'NEXT'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}
