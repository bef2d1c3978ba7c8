import { readFile } from 'node:fs/promises';
import { yaml } from '../runtime/lazy-modules.js';
import { blockingFindings } from './staged-run.js';
import { runState, type RunState } from './run-state.js';
import { listRuns } from './run-store.js';
import { runPath } from './run-layout.js';

/** One line of `orchestrate runs`. */
export interface RunSummary {
  runId: string;
  /** `unreadable` when the manifest could not be read (see `problem`). */
  status: RunState | 'unreadable';
  workflow?: string;
  /** The `service` input, when the workflow has one. */
  service?: string;
  startedAt?: string;
  /** Milliseconds since the run started, by the clock given. */
  ageMs?: number;
  /** US dollars, when the run recorded its usage. */
  costUsd?: number;
  files: number;
  deletions: number;
  /** Secrets found in staged files or notes: apply is refused while there are any. */
  secrets: number;
  /** Where the run was applied. */
  applied?: { branch: string; commit: string };
  /** What to do next, when there is something obvious. */
  hint?: string;
  problem?: string;
}

/**
 * The runs of a workspace, newest first, with the status a person acts on: a run whose process
 * is gone shows as `interrupted` with the command that resumes it.
 */
export async function summarizeRuns(workspace: string, now: number): Promise<RunSummary[]> {
  const runs = await listRuns(workspace);
  return Promise.all(
    runs.map(async ({ runId, dir, manifest, problem }): Promise<RunSummary> => {
      if (!manifest) return { runId, status: 'unreadable', files: 0, deletions: 0, secrets: 0, ...(problem ? { problem } : {}) };
      const status = runState(manifest);
      const secrets = blockingFindings(manifest.findings).length;
      const started = Date.parse(manifest.startedAt);
      const costUsd = manifest.usage?.costUsd ?? (await reportCost(dir));
      const service = typeof manifest.inputs.service === 'string' ? manifest.inputs.service : undefined;
      return {
        runId,
        status,
        workflow: manifest.workflow,
        ...(service ? { service } : {}),
        startedAt: manifest.startedAt,
        ...(Number.isFinite(started) ? { ageMs: Math.max(0, now - started) } : {}),
        ...(costUsd !== undefined ? { costUsd } : {}),
        files: manifest.files.length,
        deletions: manifest.deletions.length,
        secrets,
        ...(manifest.applied ? { applied: { branch: manifest.applied.branch, commit: manifest.applied.commit } } : {}),
        ...hintFor(runId, status, secrets),
      };
    }),
  );
}

function hintFor(runId: string, status: RunState, secrets: number): { hint?: string } {
  if (status === 'interrupted') return { hint: `orchestrate resume ${runId}` };
  if (status === 'awaiting-approval') return { hint: `orchestrate approve ${runId}, or orchestrate reject ${runId} --message <why>` };
  if (status === 'complete') return { hint: secrets ? `${secrets} secret(s) block apply; see orchestrate apply ${runId} --dry-run` : `orchestrate apply ${runId}` };
  if (status === 'failed') return { hint: `orchestrate show ${runId}` };
  return {};
}

/** Manifests written before usage was recorded: the cost is in report.yaml. */
async function reportCost(dir: string): Promise<number | undefined> {
  const text = await readFile(runPath(dir, 'report'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const cost = (yaml().parse(text) as { usage?: { costUsd?: unknown } } | null)?.usage?.costUsd;
    return typeof cost === 'number' ? cost : undefined;
  } catch {
    return undefined;
  }
}

/** `45s`, `12m`, `3h`, `2d`: the age of a run at a glance. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
