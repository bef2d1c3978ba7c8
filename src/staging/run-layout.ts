import path from 'node:path';

/**
 * The layout of a run folder, `pending-commits/<run-id>/`, in one place: every module that
 * reads or writes a run's files finds them here, so the layout is spelled once.
 */
export const RUN_LAYOUT = {
  /** Schema version, run, inputs, status and every staged file with its provenance. */
  manifest: 'manifest.json',
  /** Every event of the run, as JSONL: the source of truth (see src/run/resume-fold.ts). */
  journal: 'journal.jsonl',
  /** The run's pino log (NDJSON). */
  log: 'run.log',
  report: 'report.yaml',
  commitMessage: 'COMMIT_MSG',
  /** What the run changed in the expertise, for `orchestrate expertise diff`. */
  expertiseChanges: 'expertise-changes.json',
  /**
   * Each domain's expertise file just before and after the run's merge,
   * `<domain>/before.yaml` (absent when the file did not exist) and `<domain>/after.yaml`: apply
   * commits the run's part of the expertise from these (see src/git/apply-expertise.ts).
   */
  expertiseMerge: 'expertise-merge',
  /** Held by the process running, resuming, applying or discarding the run. */
  lock: '.lock',
  /**
   * The staged tree: what would be committed. It sits in a folder named `node_modules`, the one
   * name every JavaScript tool skips by default (vitest's and jest's test globs, `node --test`,
   * tsc without an `include`, eslint, prettier), so the user's own test run and typecheck never
   * pick up a run's staged copies (a staged `*.test.ts` would otherwise run in `npm test`).
   */
  files: 'files/node_modules',
  /** Plans, reviews and other notes: never committed. */
  notes: 'notes',
  /**
   * One file per answered approval, `<phase>.json`, made with an exclusive link: the first answer
   * (the terminal's, or one given by `orchestrate approve` / the page while the terminal asks) wins.
   */
  answers: 'answers',
} as const;

export type RunEntry = keyof typeof RUN_LAYOUT;

/** `<workspace>/pending-commits`: where every run folder lives. */
export function runsDir(workspace: string): string {
  return path.join(workspace, 'pending-commits');
}

/** `<workspace>/pending-commits/<run-id>`. */
export function runDirOf(workspace: string, runId: string): string {
  return path.join(runsDir(workspace), runId);
}

/** One entry of a run folder, such as `runPath(dir, 'journal')`. */
export function runPath(runDir: string, entry: RunEntry): string {
  return path.join(runDir, RUN_LAYOUT[entry]);
}

/** Where a staged repository path (or `notes/<name>`) lives in a run folder. */
export function stagedPath(runDir: string, repoPath: string): string {
  return repoPath.startsWith('notes/')
    ? path.join(runDir, RUN_LAYOUT.notes, ...repoPath.slice('notes/'.length).split('/'))
    : path.join(runDir, RUN_LAYOUT.files, ...repoPath.split('/'));
}
