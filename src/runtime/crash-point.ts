/**
 * TEST HOOK, inert unless `ORCHESTRATE_CRASH_AT` is set. The durability tests (test/durability)
 * set it in a child process to kill that process with SIGKILL at an exact point, with no sleep
 * and no timing window, and then resume the run.
 *
 * `ORCHESTRATE_CRASH_AT=<point>[:<n>]` kills the process the n-th time (default 1) it reaches
 * `<point>`. Points are journal events, checked just after the event is durable in the journal
 * (`task-start:implement`, `tool-call:research:2`, `phase-end:testing-validation`,
 * `run-start:run`, `expertise-merge:integrations`); the same prefixed with `appended:`, checked
 * just after the event is appended and before it is flushed (`appended:task-end:configure`,
 * see src/staging/journal.ts); and named steps (`stage:write` between a
 * staged file's temp write and its rename, `expertise:merge:locked`, `expertise:write` (the
 * merged file's temp write), `expertise:merge:renamed`, `report:write`, `manifest:write`), and the steps of `orchestrate apply`
 * (`apply:locked`, `apply:switched`, `apply:write` after each file, `apply:added`,
 * `apply:message`, `apply:committed`; see src/git/apply-commit.ts).
 */
const spec = parseSpec(process.env.ORCHESTRATE_CRASH_AT);
/** Whether a crash point is set at all: callers skip naming their points when it is not. */
export const crashHookArmed = spec !== undefined;
const reached = new Map<string, number>();

/** Kills this process with SIGKILL when the crash hook names this point; otherwise does nothing. */
export function crashPoint(point: string): void {
  if (spec === undefined || spec.point !== point) return;
  const count = (reached.get(point) ?? 0) + 1;
  reached.set(point, count);
  if (count === spec.count) process.kill(process.pid, 'SIGKILL');
}

function parseSpec(value: string | undefined): { point: string; count: number } | undefined {
  if (!value) return undefined;
  const match = /^(.*):(\d+)$/.exec(value);
  return match ? { point: match[1]!, count: Number(match[2]) } : { point: value, count: 1 };
}
