/**
 * The public API's run-folder part: list, find, read and discard runs. `src/index.ts` re-exports
 * all of it; the CLI's commands that only read runs (`runs`, `show`, `logs`, `discard`) import it
 * alone, so they load neither the engine nor the providers (ARCHITECTURE.md, "The CLI").
 */
export { RUN_LAYOUT, runsDir, runDirOf, runPath, type RunEntry } from '../staging/run-layout.js';
export { findRunId, loadRun, listRuns, readManifest, type StoredRun } from '../staging/run-store.js';
export { readJournal, readReport } from '../staging/run-read.js';
export { formatAge, summarizeRuns, type RunSummary } from '../staging/run-summary.js';
export { discardRun, type DiscardResult } from '../staging/discard-run.js';
export { renderReport } from '../report/render.js';
export { RunEvent, TaskStatus, RunStatus } from '../schema/events.js';
export { RunReport } from '../schema/report.js';
