import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { readJournal } from '../staging/run-read.js';
import { OrchestrateError } from '../errors.js';
import { applyRun } from '../git/apply-run.js';
import { stagedFileDiff } from '../git/staged-diff.js';
import { loadResumePoint } from '../run/resume.js';
import { answerLiveApproval } from '../run/approval-handoff.js';
import { runWorkflow } from '../run/run-workflow.js';
import { discardRun } from '../staging/discard-run.js';
import { processAlive } from '../staging/run-state.js';
import { summarizeRuns } from '../staging/run-summary.js';
import { loadRun } from '../staging/run-store.js';
import { runView } from './run-view.js';
import type { RunWatch } from './run-watch.js';

export interface UiAppOptions {
  workspace: string;
  token: string;
  /** Where the page's files are: `index.html`, `app.js`, `app.css`. */
  assets: string;
  watch: RunWatch;
  env: Readonly<Record<string, string | undefined>>;
  /** Who answers approvals from the page. */
  by: string;
  /** Called with what a run started from the page (an approval) says when it ends or fails. */
  log: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * The page's HTTP API. Every request carries the per-launch token (`?token=` or the
 * `x-orchestrate-token` header; changes only the header, so another site's form cannot post);
 * the buttons call the same functions as the CLI: runWorkflow to answer an approval, applyRun,
 * discardRun.
 */
export function uiApp(options: UiAppOptions): Hono {
  const { workspace, token } = options;
  const app = new Hono();
  const expected = Buffer.from(token);
  const tokenOk = (given: string | undefined) => given !== undefined && Buffer.byteLength(given) === expected.length && timingSafeEqual(Buffer.from(given), expected);

  app.use('*', async (c, next) => {
    const given = c.req.method === 'GET' ? (c.req.query('token') ?? c.req.header('x-orchestrate-token')) : c.req.header('x-orchestrate-token');
    if (!tokenOk(given)) return c.text('forbidden: open the URL orchestrate ui printed (it carries the token)\n', 403);
    await next();
  });
  app.onError((error, c) => {
    if (error instanceof OrchestrateError) return c.json({ error: error.message, code: error.code }, error.exitCode === 2 ? 400 : 409);
    return c.json({ error: `internal error: ${error.message}` }, 500);
  });

  app.get('/', (c) => asset(c, options.assets, 'index.html'));
  app.get('/assets/:name{[a-z-]+\\.(js|css)}', (c) => asset(c, options.assets, c.req.param('name')));

  app.get('/api/runs', async (c) => c.json(await summarizeRuns(workspace, Date.now())));
  app.get('/api/runs/:id', async (c) => {
    const { dir, manifest } = await loadRun(workspace, c.req.param('id'));
    return c.json(await runView(dir, manifest, await readJournal(dir), processAlive));
  });
  app.get('/api/runs/:id/diff', async (c) => {
    const { dir, manifest } = await loadRun(workspace, c.req.param('id'));
    const file = c.req.query('path');
    if (!file || !manifest.files.some((f) => f.path === file)) return c.json({ error: `run ${manifest.runId} staged no file ${JSON.stringify(file ?? '')}` }, 404);
    return c.text(await stagedFileDiff(workspace, dir, file, manifest.base?.commit));
  });
  app.get('/api/runs/:id/note', async (c) => {
    const { dir, manifest } = await loadRun(workspace, c.req.param('id'));
    const note = c.req.query('path');
    if (!note || !manifest.notes.some((n) => n.path === note)) return c.json({ error: `run ${manifest.runId} has no note ${JSON.stringify(note ?? '')}` }, 404);
    return c.text(await readFile(path.join(dir, ...note.split('/')), 'utf8'));
  });

  app.post('/api/runs/:id/approve', (c) => answer(c, 'approved'));
  app.post('/api/runs/:id/reject', (c) => answer(c, 'rejected'));
  app.post('/api/runs/:id/apply', async (c) => c.json(await applyRun({ workspace, runId: c.req.param('id'), env: options.env })));
  app.post('/api/runs/:id/discard', async (c) => c.json(await discardRun({ workspace, runId: c.req.param('id') })));

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      await new Promise<void>((resolve) => {
        const unsubscribe = options.watch.subscribe((runId) => void stream.writeSSE({ event: 'run', data: runId }));
        stream.onAbort(() => {
          unsubscribe();
          resolve();
        });
        void stream.writeSSE({ event: 'hello', data: 'ok' });
      });
    }),
  );

  /** Checks the run waits for an answer (one clear error if not), then goes on with it in this process. */
  async function answer(c: Context, decision: 'approved' | 'rejected') {
    const body = (await c.req.json().catch(() => ({}))) as { message?: unknown };
    const message = typeof body.message === 'string' ? body.message.trim() : '';
    if (decision === 'rejected' && !message) return c.json({ error: 'say why: a rejection needs a reason (it is recorded and learned)' }, 400);
    const approval = { decision, by: options.by, via: 'page' as const, ...(message ? { message } : {}) };
    // Asked live on a terminal: the answer goes to that process, which goes on with the run.
    const handed = await answerLiveApproval(workspace, c.req.param('id') ?? '', approval);
    if (handed?.decision) return c.json({ runId: handed.runId, decision: handed.decision.decision, by: handed.decision.by, pid: handed.owner.pid }, 200);
    const point = await loadResumePoint(workspace, c.req.param('id') ?? '', { answering: true });
    runWorkflow({ resume: point.runId, cwd: workspace, approval, runtime: { env: { ...options.env } } }).then(
      (result) => options.log(`run ${result.runId} ${result.status} (answered from the page: ${decision})`),
      (error: unknown) => options.log(`run ${point.runId}: ${(error as Error).message}`),
    );
    return c.json({ runId: point.runId, decision }, 202);
  }

  return app;
}

async function asset(c: Context, dir: string, name: string) {
  const file = path.join(dir, name);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return c.text('not found\n', 404);
  return c.body(text, 200, { 'content-type': CONTENT_TYPES[path.extname(name)] ?? 'text/plain', 'cache-control': 'no-store' });
}
