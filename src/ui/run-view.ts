import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stagedPath } from '../staging/run-layout.js';
import { parse } from 'yaml';
import { readChangeRecord } from '../expertise/record.js';
import type { RunEvent } from '../schema/events.js';
import type { Manifest } from '../schema/manifest.js';
import { runState, type RunState } from '../staging/run-state.js';

/** One task on the page's timeline: when it ran, what it used, how it ended. */
export interface TimelineTask {
  id: string;
  phase: string;
  agent: string;
  /** Milliseconds since the run started. */
  start?: number;
  end?: number;
  status: 'waiting' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
  attempts: number;
  retries: number;
  tokens: number;
  costUsd: number;
}

/** The approval a run waits for, with the shown note. */
export interface WaitingApproval {
  phase: string;
  message: string;
  show?: { path: string; text: string };
  /** True when a process is asking it live on a terminal: answer there. */
  askedElsewhere: boolean;
}

/** Everything the page shows about one run. */
export interface RunView {
  runId: string;
  status: RunState;
  manifest: Manifest;
  startedAt: string;
  timeline: TimelineTask[];
  approvals: Array<Extract<RunEvent, { type: 'approval-decision' }>>;
  waiting?: WaitingApproval;
  report?: unknown;
  expertise?: unknown;
}

/** Folds a journal into the timeline. Pure: events in, rows out. */
export function timelineOf(events: readonly RunEvent[]): { origin: number; tasks: TimelineTask[] } {
  const origin = Date.parse(events.find((e) => e.type === 'run-start')?.at ?? '') || 0;
  const tasks = new Map<string, TimelineTask>();
  const ms = (at: string) => Date.parse(at) - origin;
  for (const event of events) {
    if (event.type === 'task-start') {
      const task = tasks.get(event.task) ?? { id: event.task, phase: event.phase, agent: event.agent, status: 'running', attempts: 0, retries: 0, tokens: 0, costUsd: 0 };
      task.start ??= ms(event.at);
      task.status = 'running';
      task.attempts = Math.max(task.attempts, event.attempt);
      delete task.end;
      tasks.set(event.task, task);
    } else if (event.type === 'task-retry') {
      const task = tasks.get(event.task);
      if (task) task.retries++;
    } else if (event.type === 'task-end') {
      const task = tasks.get(event.task) ?? { id: event.task, phase: event.phase, agent: event.agent, status: 'waiting', attempts: 0, retries: 0, tokens: 0, costUsd: 0 };
      if (event.reused && task.status === 'done') continue;
      // Stopped before it started because the run waits for an approval: it has not run yet.
      if (event.status === 'cancelled' && event.error?.code === 'AWAITING_APPROVAL' && !event.attempts) {
        task.status = 'waiting';
        tasks.set(event.task, task);
        continue;
      }
      task.status = event.status;
      task.end = ms(event.at);
      task.start ??= task.end - event.durationMs;
      task.tokens = event.usage.inputTokens + event.usage.outputTokens;
      task.costUsd = event.usage.costUsd;
      task.attempts = event.attempts ?? task.attempts;
      tasks.set(event.task, task);
    }
  }
  return { origin, tasks: [...tasks.values()] };
}

/** Reads a run folder into what the page shows. */
export async function runView(dir: string, manifest: Manifest, events: readonly RunEvent[], alive: (pid: number) => boolean): Promise<RunView> {
  const status = runState(manifest, alive);
  const { tasks } = timelineOf(events);
  const approvals = events.filter((e): e is Extract<RunEvent, { type: 'approval-decision' }> => e.type === 'approval-decision');
  const view: RunView = { runId: manifest.runId, status, manifest, startedAt: manifest.startedAt, timeline: tasks, approvals };
  if (status === 'awaiting-approval') {
    const request = [...events].reverse().find((e): e is Extract<RunEvent, { type: 'approval-request' }> => e.type === 'approval-request');
    if (request) {
      const text = request.show ? await readShown(dir, request.show) : undefined;
      const owner = manifest.owner;
      view.waiting = {
        phase: request.phase,
        message: request.message,
        ...(request.show && text !== undefined ? { show: { path: request.show, text } } : {}),
        askedElsewhere: owner !== undefined && owner.pid !== process.pid && alive(owner.pid),
      };
    }
  }
  const report = await readFile(path.join(dir, 'report.yaml'), 'utf8').then((text) => parse(text) as unknown, () => undefined);
  if (report !== undefined) view.report = report;
  const expertise = await readChangeRecord(dir).catch(() => undefined);
  if (expertise) view.expertise = expertise;
  return view;
}

/** A note (`notes/...`) or staged file of the run, confined to the run folder. */
export async function readShown(dir: string, repoPath: string): Promise<string | undefined> {
  const file = repoPath.startsWith('notes/') ? path.join(dir, ...repoPath.split('/')) : stagedPath(dir, repoPath);
  if (!path.resolve(file).startsWith(path.resolve(dir) + path.sep)) return undefined;
  return readFile(file, 'utf8').catch(() => undefined);
}
