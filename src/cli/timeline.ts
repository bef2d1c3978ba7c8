import type { RunEvent } from '../index.js';
import { formatCost, formatDuration, formatTokens } from './format.js';

export interface TimelineRow {
  task: string;
  phase: string;
  agent: string;
  model: string;
  status: string;
  /** Milliseconds from the start of the run to the task's (last) start. */
  startMs: number;
  durationMs: number;
  tokens: number;
  costUsd: number;
  error?: string;
  /** The queue worker that ran the task's last attempt. */
  worker?: string;
}

/** The timeline of a run's tasks, from its journal: when each started, how long, tokens, cost. */
export function timeline(events: readonly RunEvent[]): TimelineRow[] {
  const runStart = events.find((e) => e.type === 'run-start');
  const origin = runStart ? Date.parse(runStart.at) : 0;
  const rows = new Map<string, TimelineRow>();
  for (const event of events) {
    if (event.type === 'task-start') {
      rows.set(event.task, { task: event.task, phase: event.phase, agent: event.agent, model: '', status: 'running', startMs: Date.parse(event.at) - origin, durationMs: 0, tokens: 0, costUsd: 0 });
    } else if (event.type === 'task-assign') {
      const row = rows.get(event.task);
      if (row) row.worker = event.worker;
    } else if (event.type === 'task-end') {
      const row = rows.get(event.task) ?? { task: event.task, phase: event.phase, agent: event.agent, model: '', status: '', startMs: Date.parse(event.at) - origin - event.durationMs, durationMs: 0, tokens: 0, costUsd: 0 };
      Object.assign(row, {
        model: event.model,
        status: event.status,
        durationMs: event.durationMs,
        tokens: event.usage.inputTokens + event.usage.outputTokens,
        costUsd: event.usage.costUsd,
        ...(event.error ? { error: event.error.message } : {}),
      });
      rows.set(event.task, row);
    }
  }
  return [...rows.values()];
}

/** The timeline as an aligned table with a bar per task, scaled to the run's length. */
export function renderTimeline(rows: readonly TimelineRow[], barWidth = 24): string[] {
  if (rows.length === 0) return ['(no tasks started)'];
  const end = Math.max(1, ...rows.map((r) => r.startMs + r.durationMs));
  const w = (pick: (r: TimelineRow) => string, title: string) => Math.max(title.length, ...rows.map((r) => pick(r).length));
  const [taskW, agentW, modelW, statusW] = [w((r) => r.task, 'task'), w((r) => r.agent, 'agent'), w((r) => r.model, 'model'), w((r) => r.status, 'status')];
  const header = `${'task'.padEnd(taskW)}  ${'agent'.padEnd(agentW)}  ${'model'.padEnd(modelW)}  ${'status'.padEnd(statusW)}  ${'start'.padStart(7)}  ${'time'.padStart(7)}  ${'tokens'.padStart(11)}  ${'cost'.padStart(8)}  timeline`;
  return [
    header,
    ...rows.map((r) => {
      const from = Math.floor((r.startMs / end) * barWidth);
      const length = Math.max(1, Math.round((r.durationMs / end) * barWidth));
      const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(length, barWidth - from))}`;
      return `${r.task.padEnd(taskW)}  ${r.agent.padEnd(agentW)}  ${r.model.padEnd(modelW)}  ${r.status.padEnd(statusW)}  ${formatDuration(r.startMs).padStart(7)}  ${formatDuration(r.durationMs).padStart(7)}  ${formatTokens(r.tokens).padStart(11)}  ${formatCost(r.costUsd).padStart(8)}  ${bar}${r.worker ? `  on ${r.worker}` : ''}${r.error ? `  ${r.error}` : ''}`;
    }),
  ];
}
