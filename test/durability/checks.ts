import { expect } from 'vitest';
import type { RunEvent } from '../../src/schema/events.js';
import { doneTasks, resumedSession } from './harness.js';
import type { Scenario } from './scenarios.js';
import type { RunSnapshot } from './harness.js';

/** Tasks started and not ended when the process died. */
export function inFlight(events: readonly RunEvent[]): string[] {
  const open = new Set<string>();
  for (const e of events) {
    if (e.type === 'task-start') open.add(e.task);
    if (e.type === 'task-end') open.delete(e.task);
  }
  return [...open].sort();
}

/**
 * What every kill-and-resume scenario must show: the child died at the point (SIGKILL), the
 * resume succeeded, the run equals an uninterrupted one, and no task whose result was in the
 * journal did any work again (no start, no tool call, no model turn in the resumed session).
 */
export function expectResumedLikeBaseline(scenario: Scenario, expected: RunSnapshot, what: string): void {
  expect(scenario.crash.signal, `the child should have been killed at ${scenario.point}; stderr: ${scenario.crash.stderr}`).toBe('SIGKILL');
  expect(scenario.resume.code, scenario.resume.stderr).toBe(0);
  if (/both in flight/.test(what)) expect(inFlight(scenario.before), 'two parallel tasks in flight at the kill').toHaveLength(2);
  const done = doneTasks(scenario.before);
  const again = resumedSession(scenario.after).filter(
    (e) => (e.type === 'task-start' || e.type === 'tool-call' || e.type === 'artifact-write' || e.type === 'learning-record') && done.has(e.task),
  );
  expect(again, `work repeated for tasks done before the kill (${[...done].join(', ')})`).toEqual([]);
  const reused = resumedSession(scenario.after).flatMap((e) => (e.type === 'task-end' && e.reused ? [e.task] : []));
  expect(reused.sort()).toEqual([...done].sort());
  expect(scenario.snapshot).toEqual(expected);
}
