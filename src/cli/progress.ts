import type { RunEvent } from '../schema/events.js';

/** One plain line per phase and task start and end. */
export function progressLine(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `${event.banner}\nrun ${event.runId}: workflow ${event.workflow}, ${event.taskCount} tasks`;
    case 'phase-start':
      return `▶ phase ${event.phase}: ${event.name}`;
    case 'task-start':
      return `  ▸ ${event.task} (${event.agent}) started`;
    case 'task-end': {
      const tokens = event.usage.inputTokens + event.usage.outputTokens;
      const detail = event.error ? `: ${event.error.message}` : '';
      return `  ${event.status === 'done' ? '✓' : '✗'} ${event.task} ${event.status} in ${event.durationMs} ms, ${tokens} tokens${detail}`;
    }
    case 'phase-end':
      return `◀ phase ${event.phase} ${event.status}`;
    default:
      return undefined;
  }
}
