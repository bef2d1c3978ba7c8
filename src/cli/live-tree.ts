import type { RunEvent } from '../index.js';
import { fit, formatCost, formatDuration, formatTokens } from './format.js';
import type { Style } from './style.js';

type Status = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface TreeTask {
  id: string;
  agent: string;
  status: Status;
  attempt: number;
  startedAt?: number;
  durationMs?: number;
  tokens: number;
  costUsd: number;
  /** The last thing it did: a file written, a tool called. */
  activity?: string;
  error?: string;
}

export interface TreePhase {
  id: string;
  name: string;
  status: Status;
  tasks: TreeTask[];
}

/** What the live tree shows: folded from events only, so it can be tested without a terminal. */
export interface TreeState {
  runId?: string;
  workflow?: string;
  provider?: string;
  startedAt?: number;
  endedAt?: number;
  status: 'starting' | 'running' | 'complete' | 'failed' | 'cancelled';
  phases: TreePhase[];
}

/** An outline of the workflow, so pending phases and tasks show before they start. */
export interface TreeOutline {
  phases: Array<{ id: string; name: string; tasks: Array<{ id: string; agent: string }> }>;
}

export function initialTree(outline?: TreeOutline): TreeState {
  return {
    status: 'starting',
    phases: (outline?.phases ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      status: 'pending',
      tasks: p.tasks.map((t) => ({ id: t.id, agent: t.agent, status: 'pending', attempt: 0, tokens: 0, costUsd: 0 })),
    })),
  };
}

/** Applies one event to the tree state, in place, and returns it. */
export function foldTree(state: TreeState, event: RunEvent): TreeState {
  const at = Date.parse(event.at);
  const phase = (id: string, name = id) => {
    let found = state.phases.find((p) => p.id === id);
    if (!found) state.phases.push((found = { id, name, status: 'pending', tasks: [] }));
    return found;
  };
  const task = (id: string, phaseId?: string, agent = '') => {
    for (const p of state.phases) {
      const found = p.tasks.find((t) => t.id === id);
      if (found) return found;
    }
    const created: TreeTask = { id, agent, status: 'pending', attempt: 0, tokens: 0, costUsd: 0 };
    phase(phaseId ?? '?').tasks.push(created);
    return created;
  };
  switch (event.type) {
    case 'run-start':
      Object.assign(state, { runId: event.runId, workflow: event.workflow, provider: event.provider, startedAt: at, status: 'running' });
      break;
    case 'phase-start':
      Object.assign(phase(event.phase, event.name), { name: event.name, status: 'running' });
      break;
    case 'task-start':
      Object.assign(task(event.task, event.phase, event.agent), { agent: event.agent, status: 'running', attempt: event.attempt, startedAt: at });
      break;
    case 'task-retry':
      task(event.task).activity = `retry ${event.attempt}: ${event.error.message}`;
      break;
    case 'tool-call':
      task(event.task).activity = `${event.tool} ${event.detail}`;
      break;
    case 'artifact-write':
      task(event.task).activity = `wrote ${event.path}`;
      break;
    case 'task-end': {
      const t = task(event.task, event.phase, event.agent);
      Object.assign(t, {
        status: event.status,
        durationMs: event.durationMs,
        tokens: event.usage.inputTokens + event.usage.outputTokens,
        costUsd: event.usage.costUsd,
      });
      delete t.activity;
      if (event.error) t.error = event.error.message;
      break;
    }
    case 'phase-end':
      phase(event.phase).status = event.status;
      break;
    case 'run-end':
      Object.assign(state, { status: event.status, endedAt: at });
      break;
    default:
      break;
  }
  return state;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function mark(status: Status, now: number, style: Style): string {
  switch (status) {
    case 'done':
      return style.green('✓');
    case 'failed':
      return style.red('✗');
    case 'skipped':
      return style.dim('↷');
    case 'cancelled':
      return style.yellow('■');
    case 'running':
      return style.cyan(SPINNER[Math.floor(now / 80) % SPINNER.length]!);
    default:
      return style.dim('·');
  }
}

/** The tree as lines for a terminal `width` wide, at time `now` (elapsed times of running tasks). */
export function renderTree(state: TreeState, now: number, style: Style, width = 100): string[] {
  const tasks = state.phases.flatMap((p) => p.tasks);
  const tokens = tasks.reduce((sum, t) => sum + t.tokens, 0);
  const cost = tasks.reduce((sum, t) => sum + t.costUsd, 0);
  const done = tasks.filter((t) => t.status === 'done').length;
  const elapsed = state.startedAt === undefined ? 0 : Math.max(0, (state.endedAt ?? now) - state.startedAt);
  const head = `${style.bold(state.workflow ?? 'run')} ${style.dim(state.runId ?? '')}  ${done}/${tasks.length} tasks · ${formatDuration(elapsed)} · ${formatTokens(tokens)} · ${formatCost(cost)}`;
  const lines = [head];
  const idWidth = Math.max(8, ...tasks.map((t) => t.id.length));
  const agentWidth = Math.max(8, ...tasks.map((t) => t.agent.length));
  for (const phase of state.phases) {
    lines.push(`${mark(phase.status, now, style)} ${phase.status === 'pending' ? style.dim(phase.name) : style.bold(phase.name)}`);
    for (const t of phase.tasks) {
      const time = t.durationMs !== undefined ? formatDuration(t.durationMs) : t.startedAt !== undefined ? formatDuration(Math.max(0, now - t.startedAt)) : '';
      const numbers = t.status === 'pending' ? '' : `${time.padStart(6)}  ${formatTokens(t.tokens).padStart(10)}  ${formatCost(t.costUsd).padStart(7)}`;
      const retry = t.attempt > 1 ? style.yellow(` (attempt ${t.attempt})`) : '';
      const base = `  ${mark(t.status, now, style)} ${fit(t.id, idWidth)}  ${style.dim(fit(t.agent, agentWidth))}  ${numbers}${retry}`;
      const note = t.error ?? t.activity;
      const room = width - (6 + idWidth + agentWidth + numbers.length + (t.attempt > 1 ? 12 : 0)) - 3;
      lines.push(note && room > 10 ? `${base}  ${t.error ? style.red(fit(note, room).trimEnd()) : style.dim(fit(note, room).trimEnd())}` : base);
    }
  }
  return lines.map((line) => line.trimEnd());
}
