import type { RunEvent } from '../index.js';
import { formatCost, formatDuration, formatTokens } from './format.js';

/**
 * One plain line per event, for CI logs and pipes: phase and task starts and ends, retries;
 * with `verbose`, also every tool call, file written and learning recorded.
 */
export function progressLine(event: RunEvent, verbose = false): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `${event.banner}\nrun ${event.runId}: workflow ${event.workflow}, ${event.taskCount} tasks`;
    case 'phase-start':
      return `▶ phase ${event.phase}: ${event.name}`;
    case 'task-start':
      return `  ▸ ${event.task} (${event.agent}) started${event.attempt > 1 ? `, attempt ${event.attempt}` : ''}`;
    case 'task-retry':
      return `  ↻ ${event.task} retrying (attempt ${event.attempt}) in ${formatDuration(event.delayMs)}: ${event.error.message}`;
    case 'task-end': {
      const tokens = event.usage.inputTokens + event.usage.outputTokens;
      const detail = event.error ? `: ${event.error.message}` : '';
      const mark = event.status === 'done' ? '✓' : event.status === 'skipped' ? '↷' : '✗';
      return `  ${mark} ${event.task} ${event.status} in ${formatDuration(event.durationMs)}, ${formatTokens(tokens)}, ${formatCost(event.usage.costUsd)}${detail}`;
    }
    case 'phase-end':
      return `◀ phase ${event.phase} ${event.status}`;
    case 'run-end':
      return `run ${event.status} in ${formatDuration(event.durationMs)}, ${formatTokens(event.usage.inputTokens + event.usage.outputTokens)}, ${formatCost(event.usage.costUsd)}`;
    case 'model-retry':
      return `  ↻ ${event.task} model request ${event.status ? `answered ${event.status}` : 'failed'} (attempt ${event.attempt}); retrying in ${formatDuration(event.delayMs)}`;
    case 'tool-call':
      return verbose ? `    · ${event.task} ${event.tool}${event.ok ? '' : ' (error)'} ${event.detail}` : undefined;
    case 'artifact-write':
      return verbose ? `    + ${event.task} wrote ${event.kind === 'note' ? 'note ' : ''}${event.path} (${event.size} bytes)` : undefined;
    case 'approval-request':
      return `? approval of ${event.phase}: ${event.message}${event.show ? ` (see ${event.show})` : ''}`;
    case 'approval-decision':
      return `${event.decision === 'approved' ? '✓' : '✗'} ${event.phase} ${event.decision} by ${event.by} (${event.via})${event.message ? `: ${event.message}` : ''}`;
    case 'learning-record':
      return verbose ? `    ★ ${event.task} learned: ${event.insight}` : undefined;
    default:
      return undefined;
  }
}
