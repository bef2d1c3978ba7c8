import type { Executor, ExecutorContext } from '../executors/executor.js';
import type { ErrorInfo } from '../schema/events.js';
import type { TaskResult, TaskSpec } from '../schema/task-spec.js';
import { emptyUsage, type Usage } from '../schema/usage.js';
import { stagedPath } from '../staging/run-layout.js';
import { readFile } from 'node:fs/promises';

/** One attempt of a task, as a {@link ScriptedExecutor} plays it. */
export interface ScriptedAttempt {
  /** Usage reported as events, one per entry (one model call each). */
  usage?: Partial<Usage>[];
  /** Tool calls reported as events. */
  toolCalls?: { tool: string; detail: string; ok?: boolean }[];
  /** Files staged, or a function of what the task sees (`read(path)` reads its visible staged files). */
  writes?: { path: string; content: string }[] | ((read: (path: string) => Promise<string | undefined>) => Promise<{ path: string; content: string }[]>);
  removals?: string[];
  learnings?: { insight: string; context?: string; files_affected?: string[] }[];
  /** The structured result; the attempt is done. */
  result?: unknown;
  /** The attempt fails with this error instead. */
  error?: ErrorInfo;
  /** Waits until the attempt's signal aborts, then ends `failed` with the reason (for cancellation tests). */
  hang?: boolean;
  /** Called when the attempt starts to hang. */
  onHang?: () => void;
}

/**
 * An executor that plays scripted attempts instead of running agents: the test double of the
 * executor protocol, as `ScriptedModel` is of the model. Attempts are taken in order per task;
 * {@link assertComplete} throws when some were not used.
 *
 * @example
 * const executor = new ScriptedExecutor({ research: [{ result: { summary: 'ok' }, writes: [{ path: 'notes/r.md', content: '# r' }] }] });
 * await runWorkflow({ workflow: 'mine', cwd, executor });
 * executor.assertComplete();
 */
export class ScriptedExecutor implements Executor {
  readonly name = 'scripted';
  /** Every spec the executor was given, in order. */
  readonly specs: TaskSpec[] = [];
  private readonly scripts: Map<string, ScriptedAttempt[]>;

  constructor(scripts: Record<string, ScriptedAttempt[]>) {
    this.scripts = new Map(Object.entries(scripts).map(([task, attempts]) => [task, [...attempts]]));
  }

  async run(spec: TaskSpec, { signal, onEvent }: ExecutorContext): Promise<TaskResult> {
    this.specs.push(spec);
    const attempt = this.scripts.get(spec.task.id)?.shift();
    const base = { writes: [], removals: [], learnings: [], findings: [], testRuns: [], worker: 'scripted', model: 'scripted' };
    if (!attempt) return { ...base, outcome: 'failed', usage: emptyUsage(), error: { code: 'SCRIPT_EXHAUSTED', message: `no scripted attempt left for task "${spec.task.id}"` } };
    onEvent({ type: 'assign', worker: 'scripted' });
    const usage = emptyUsage();
    for (const call of attempt.usage ?? []) {
      const one = { ...emptyUsage(), ...call };
      for (const key of Object.keys(usage) as (keyof Usage)[]) usage[key] += one[key];
      onEvent({ type: 'usage', usage: one });
    }
    for (const call of attempt.toolCalls ?? []) onEvent({ type: 'tool-call', at: new Date().toISOString(), tool: call.tool, ok: call.ok ?? true, detail: call.detail });
    if (attempt.hang) {
      attempt.onHang?.();
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    }
    if (signal.aborted) return { ...base, outcome: 'failed', usage, error: { code: 'CANCELLED', message: 'cancelled' } };
    const visible = new Set(spec.staging.files.map((file) => file.path));
    const read = async (p: string) => (visible.has(p) ? readFile(stagedPath(spec.staging.runDir, p), 'utf8') : undefined);
    const writes = typeof attempt.writes === 'function' ? await attempt.writes(read) : (attempt.writes ?? []);
    const learnings = (attempt.learnings ?? []).map((l) => ({ ...l, files_affected: l.files_affected ?? [] }));
    const staged = { ...base, writes, removals: attempt.removals ?? [], learnings };
    if (attempt.error) return { ...staged, outcome: 'failed', usage, error: attempt.error };
    return { ...staged, outcome: 'done', result: attempt.result, usage };
  }

  /** Throws when a task has scripted attempts that were never asked for. */
  assertComplete(): void {
    const left = [...this.scripts].filter(([, attempts]) => attempts.length > 0).map(([task, attempts]) => `${task} (${attempts.length})`);
    if (left.length) throw new Error(`scripted attempts not used: ${left.join(', ')}`);
  }
}
