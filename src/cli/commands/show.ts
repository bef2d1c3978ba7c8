import path from 'node:path';
import { readJournal, readReport, renderReport } from '../../api/runs.js';
import { COMMON_OPTIONS, noExtra, parseCommandArgs } from '../args.js';
import { COMMON_OPTIONS_HELP } from '../help-text.js';
import { workspaceOf } from '../invoke.js';
import type { Command } from '../io.js';
import { findRun } from '../run-lookup.js';
import { renderTimeline, timeline } from '../timeline.js';

export const command: Command = {
  summary: "Show a run's report and its timeline of tasks",
  usage: `Usage: orchestrate show <run-id> [options]

Prints the run's report and the timeline of its tasks: when each started, how long it took,
its tokens and cost. <run-id> may be a unique prefix of the id, or "last".

${COMMON_OPTIONS_HELP}

Examples:
  orchestrate show last
  orchestrate show 20261122-010512-twilio-3f9a1c
  orchestrate show last --json | jq .report.status`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('show', argv, COMMON_OPTIONS);
    noExtra(positionals.slice(1), 'show');
    const workspace = workspaceOf(io, values.cwd);
    const { runId, dir } = await findRun(workspace, positionals[0], 'show');
    const [report, events] = await Promise.all([readReport(dir), readJournal(dir)]);
    const rows = timeline(events);
    if (values.json) {
      io.out(JSON.stringify({ runId, runDir: dir, report: report ?? null, timeline: rows }));
      return 0;
    }
    const relative = path.relative(io.cwd, dir) || dir;
    if (report) {
      io.out(renderReport(report, relative));
    } else {
      const ended = events.some((e) => e.type === 'run-end');
      io.out(`Run ${runId}: ${ended ? 'ended without a report' : 'not finished (running, or interrupted)'}; ${events.length} events in ${relative}/journal.jsonl`);
    }
    io.out('');
    io.out('Timeline:');
    for (const line of renderTimeline(rows)) io.out(`  ${line}`);
    io.out('');
    io.out(`Log: orchestrate logs ${runId}`);
    return 0;
  },
};
