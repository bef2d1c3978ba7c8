import { readFile } from 'node:fs/promises';
import { Queue, QueueEvents, QueueEventsProducer } from 'bullmq';
import { stagedPath } from '../../staging/run-layout.js';
import { TaskError, UserError } from '../../errors.js';
import { isFetchableUrl } from '../../git/commit-cache.js';
import { ExecutorEvent, TaskResult, type TaskSpec } from '../../schema/task-spec.js';
import { addUsage, emptyUsage, type Usage } from '../../schema/usage.js';
import type { Executor, ExecutorContext } from '../executor.js';
import { checkRedis, queueName, redisTarget } from './connection.js';
import { CANCEL_EVENT, jobIdOf, type ProgressMessage } from './protocol.js';

/** Options of {@link queueExecutor}. */
export interface QueueExecutorOptions {
  /** `redis://host:port[/db]`. */
  redis: string;
  /** @default 'orchestrate-tasks' */
  queue?: string;
  /** Called once when tasks wait and no worker is alive (and again after one was seen and went away). */
  onWaiting?: (message: string) => void;
  /** How often to look for workers while tasks wait. @default 2000 */
  workerCheckMs?: number;
  /**
   * Where a worker that cannot read the run's workspace (another host, `--isolated`) fetches the
   * run's base commit: a git URL it can reach (`git://`, `https://`, `ssh://`...).
   * @default the workspace's own path, which only a worker on the same host can use
   */
  gitUrl?: string;
}

/**
 * The task as a worker anywhere can run it: the files it may see of the run's staging go with
 * it, since the run folder is on this host, and the base commit names the URL to fetch it from.
 */
async function portable(spec: TaskSpec, gitUrl: string | undefined): Promise<TaskSpec> {
  const contents: Record<string, string> = {};
  for (const file of spec.staging.files) {
    const content = await readFile(stagedPath(spec.staging.runDir, file.path), 'utf8').catch(() => undefined);
    if (content !== undefined) contents[file.path] = content;
  }
  const base = spec.workspace.base && gitUrl ? { ...spec.workspace.base, url: gitUrl } : spec.workspace.base;
  return { ...spec, workspace: { ...spec.workspace, ...(base ? { base } : {}) }, staging: { ...spec.staging, contents } };
}

interface Pending {
  context: ExecutorContext;
  resolve: (result: TaskResult) => void;
  reject: (error: unknown) => void;
  /** Usage the events reported: the result's usage beyond it is reported before the result. */
  reported: Usage;
  /** The execution of the job the events come from, and how many of its events were seen. */
  from: string | undefined;
  seen: number;
}

/**
 * Dispatches agent tasks to workers (`orchestrate worker`) through a BullMQ queue on Redis.
 * The job id is run id + task id + attempt, so adding a task again (a resumed coordinator)
 * adopts the job already there, finished or not, and a result is recorded once. Progress comes
 * back as job progress (QueueEvents); a stalled job (its worker killed) is run again by BullMQ
 * on another worker.
 *
 * @example
 * const executor = await queueExecutor({ redis: 'redis://127.0.0.1:6379' });
 * await runWorkflow({ workflow: 'integrate', inputs: { service: 'twilio' }, executor });
 * await executor.close();
 */
export async function queueExecutor(options: QueueExecutorOptions): Promise<Executor & { close(): Promise<void> }> {
  const target = redisTarget(options.redis);
  const name = queueName(options.queue);
  if (options.gitUrl !== undefined && !isFetchableUrl(options.gitUrl)) {
    throw new UserError('BAD_GIT_URL', `"${options.gitUrl}" is not a git URL a worker can fetch from; give one such as git://host/repo, https://host/repo.git, ssh://host/repo or an absolute path`);
  }
  await checkRedis(target, name);
  const queue = new Queue<TaskSpec, TaskResult>(name, { connection: target.connection });
  const events = new QueueEvents(name, { connection: target.connection });
  const producer = new QueueEventsProducer(name, { connection: target.connection });
  producer.on('error', () => undefined);
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  await events.waitUntilReady();
  const pending = new Map<string, Pending>();

  const settle = (jobId: string, outcome: { result?: unknown; failed?: string }) => {
    const entry = pending.get(jobId);
    if (!entry) return;
    pending.delete(jobId);
    if (outcome.failed !== undefined) return entry.reject(new TaskError('WORKER_FAILED', `a worker failed task job ${jobId}: ${outcome.failed}`));
    const parsed = TaskResult.safeParse(typeof outcome.result === 'string' ? JSON.parse(outcome.result) : outcome.result);
    if (!parsed.success) return entry.reject(new TaskError('BAD_RESULT', `job ${jobId} returned a result that is not a task result: ${parsed.error.issues[0]?.message ?? ''}`));
    const result = parsed.data;
    // Usage whose progress event has not arrived (or never will) is charged before the result.
    const missing = { ...result.usage };
    for (const key of Object.keys(missing) as (keyof Usage)[]) missing[key] = Math.max(0, missing[key] - entry.reported[key]);
    if (Object.values(missing).some((v) => v > 0)) entry.context.onEvent({ type: 'usage', usage: missing });
    entry.resolve(result);
  };
  events.on('progress', ({ jobId, data }) => {
    const entry = pending.get(jobId);
    const message = data as ProgressMessage;
    if (!entry || typeof message !== 'object' || typeof message.seq !== 'number') return;
    if (message.from !== entry.from) {
      entry.from = message.from;
      entry.seen = 0;
    }
    if (message.seq < entry.seen) return;
    entry.seen = message.seq + 1;
    const parsed = ExecutorEvent.safeParse(message.event);
    if (!parsed.success) return;
    if (parsed.data.type === 'usage') addUsage(entry.reported, parsed.data.usage);
    entry.context.onEvent(parsed.data);
  });
  events.on('completed', ({ jobId, returnvalue }) => settle(jobId, { result: returnvalue }));
  events.on('failed', ({ jobId, failedReason }) => settle(jobId, { failed: failedReason }));

  // With tasks waiting and no worker alive, say so (once, until a worker shows up).
  let warned = false;
  const watch = setInterval(() => {
    if (pending.size === 0) return;
    queue.getWorkersCount().then((count) => {
      if (count > 0) warned = false;
      else if (!warned) {
        warned = true;
        options.onWaiting?.(`waiting for a worker: no worker is taking tasks from queue ${name} at ${target.url} (start one with: orchestrate worker --redis ${target.url})`);
      }
    }, () => undefined);
  }, options.workerCheckMs ?? 2000);
  watch.unref();

  return {
    name: 'queue',
    async run(spec, context) {
      const jobId = jobIdOf(spec);
      const done = new Promise<TaskResult>((resolve, reject) => pending.set(jobId, { context, resolve, reject, reported: emptyUsage(), from: undefined, seen: 0 }));
      const onAbort = () => {
        const entry = pending.get(jobId);
        pending.delete(jobId);
        void producer.publishEvent({ eventName: CANCEL_EVENT, jobId }).catch(() => undefined);
        entry?.reject(context.signal.reason);
      };
      if (context.signal.aborted) onAbort();
      else context.signal.addEventListener('abort', onAbort, { once: true });
      try {
        // The same id again (a resumed coordinator) adopts the job: it is not added twice.
        const job = await queue.add(`${spec.task.id}`, await portable(spec, options.gitUrl), { jobId, attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
        const state = await job.getState();
        if (state === 'completed' || state === 'failed') {
          const finished = await queue.getJob(jobId);
          settle(jobId, state === 'completed' ? { result: finished?.returnvalue } : { failed: finished?.failedReason ?? 'failed' });
        }
        return await done;
      } finally {
        context.signal.removeEventListener('abort', onAbort);
        pending.delete(jobId);
      }
    },
    async close() {
      clearInterval(watch);
      await events.close();
      await producer.close();
      await queue.close();
    },
  };
}
