import { rmSync } from 'node:fs';
import type { RunEvent } from '../../src/schema/events.js';
import { copyWorkspace, doneTasks, journalEvents, orchestrate, runDirOf, snapshot, type ChildResult, type RunSnapshot } from './harness.js';

/**
 * Where the child is killed (ORCHESTRATE_CRASH_AT, see src/runtime/crash-point.ts), spread
 * over the five phases of integrate and the steps after them. Journal points fire just after
 * the event is appended; `:n` is the n-th time the point is reached.
 */
export const CRASH_POINTS: ReadonlyArray<{ point: string; what: string }> = [
  // 1 Research & Planning
  { point: 'run-start:run', what: 'started, nothing done' },
  { point: 'task-start:plan', what: 'research and plan both in flight' },
  { point: 'stage:write:1', what: 'the first staged file half written (temp file, no rename)' },
  // Research records no learning since its learnings stopped restating the catalog: plan's is the first.
  { point: 'learning-record:plan', what: 'plan recorded a learning, still in flight' },
  { point: 'task-end:plan', what: 'plan done, research in flight' },
  { point: 'task-end:research', what: 'phase 1 done' },
  // 2 Configuration
  { point: 'task-start:configure', what: 'configure in flight' },
  { point: 'artifact-write:configure:1', what: 'configure staged its first file' },
  { point: 'artifact-write:configure:2', what: 'configure staged its second file' },
  { point: 'task-end:configure', what: 'phase 2 done' },
  // 3 Implementation
  { point: 'task-start:persistence', what: 'implement and persistence both in flight' },
  { point: 'artifact-write:implement:2', what: 'implement staged two files, persistence in flight' },
  { point: 'learning-record:implement', what: 'implement recorded a learning' },
  { point: 'task-end:implement', what: 'implement done' },
  { point: 'task-end:persistence', what: 'persistence done' },
  // 4 Testing & Validation
  { point: 'task-start:review', what: 'tests and review both in flight' },
  { point: 'tool-call:review:3', what: 'review reading files' },
  { point: 'task-end:review', what: 'review done' },
  { point: 'artifact-write:tests:1', what: 'tests staged its first test file' },
  { point: 'task-end:tests', what: 'phase 4 done' },
  // 5 Documentation & Monitoring
  { point: 'task-start:docs', what: 'docs in flight' },
  { point: 'artifact-write:docs:1', what: 'docs staged the setup guide' },
  { point: 'stage:write:13', what: 'the last staged file half written' },
  { point: 'task-end:docs', what: 'every task done, nothing merged' },
  // After the tasks: expertise merge, report, manifest
  { point: 'phase-end:documentation-monitoring', what: 'before the expertise merge' },
  { point: 'expertise:merge:locked', what: 'expertise.yaml locked, nothing merged' },
  { point: 'expertise-merge:integrations:1', what: 'merge intent durable, expertise.yaml not replaced' },
  { point: 'expertise:write', what: 'merged expertise.yaml half written (temp file, lock held)' },
  { point: 'expertise:merge:renamed', what: 'expertise.yaml replaced, the merge not yet recorded done' },
  { point: 'expertise-merge:integrations:2', what: 'expertise.yaml merged and recorded, nothing after' },
  { point: 'report:write', what: 'report half written' },
  { point: 'manifest:write:2', what: 'everything but the final manifest' },
];

export interface Scenario {
  point: string;
  crash: ChildResult;
  resume: ChildResult;
  /** The journal as the killed process left it. */
  before: RunEvent[];
  /** The whole journal after the resume. */
  after: RunEvent[];
  snapshot: RunSnapshot | undefined;
  /** Requests the fake server got per task: during the killed run, and during the resume. */
  requests?: { crash: Record<string, number>; resume: Record<string, number> };
}

export interface ScenarioOptions {
  template: string;
  env: NodeJS.ProcessEnv;
  withoutUsage?: boolean;
  /** For the fake server: called with the workspace before each child, returns a request counter. */
  server?: (cwd: string) => Promise<{ env: NodeJS.ProcessEnv; counts: () => Record<string, number>; close: () => Promise<void> }>;
}

/** Kills an integrate run at `point`, resumes it, and reads what it left. */
export async function runScenario(point: string, options: ScenarioOptions): Promise<Scenario> {
  const cwd = copyWorkspace(options.template);
  const server = await options.server?.(cwd);
  try {
    const env = { ...options.env, ...server?.env };
    const crash = await orchestrate(['integrate', 'twilio', '--quiet'], cwd, { ...env, ORCHESTRATE_CRASH_AT: point });
    const before = journalEvents(cwd);
    const crashCounts = server?.counts();
    const runId = runDirOf(cwd).split(/[\\/]/).pop()!;
    const resume = await orchestrate(['resume', runId, '--quiet'], cwd, env);
    const after = journalEvents(cwd);
    const total = server?.counts();
    const requests = crashCounts && total ? { crash: crashCounts, resume: difference(total, crashCounts) } : undefined;
    return { point, crash, resume, before, after, snapshot: resume.code === 0 ? snapshot(cwd, { withoutUsage: options.withoutUsage ?? false }) : undefined, ...(requests ? { requests } : {}) };
  } finally {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** An uninterrupted run in a copy of the template: what every scenario must end up equal to. */
export async function baseline(options: ScenarioOptions): Promise<{ snapshot: RunSnapshot; requests?: Record<string, number> }> {
  const cwd = copyWorkspace(options.template);
  const server = await options.server?.(cwd);
  try {
    const run = await orchestrate(['integrate', 'twilio', '--quiet'], cwd, { ...options.env, ...server?.env });
    if (run.code !== 0) throw new Error(`baseline run failed (${run.code}): ${run.stderr}`);
    const done = doneTasks(journalEvents(cwd));
    // integrate's nine tasks: research, plan, configure, implement, persistence, tests, review, monitoring, docs.
    if (done.size !== 9) throw new Error(`baseline run did ${done.size} tasks, not 9`);
    return { snapshot: snapshot(cwd, { withoutUsage: options.withoutUsage ?? false }), ...(server ? { requests: server.counts() } : {}) };
  } finally {
    await server?.close();
    rmSync(cwd, { recursive: true, force: true });
  }
}

function difference(total: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [task, n] of Object.entries(total)) if (n - (before[task] ?? 0) > 0) out[task] = n - (before[task] ?? 0);
  return out;
}
