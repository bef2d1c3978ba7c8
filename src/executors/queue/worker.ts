import { existsSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { prepareKind } from '../../kinds/registry.js';
import { PROVIDER_NAMES, PROVIDERS } from '../../providers/registry.js';
import { selectProvider, type ProviderChoice } from '../../providers/select.js';
import { TASK_SPEC_VERSION, TaskSpec, type TaskResult } from '../../schema/task-spec.js';
import { SecretGuard } from '../../staging/secret-guard.js';
import { checkoutCommit } from '../../git/commit-cache.js';
import { runAgentTask } from '../agent-task.js';
import { queueName, redisTarget } from './connection.js';
import { CANCEL_EVENT, type ProgressMessage } from './protocol.js';
import { RedisRateLimiter } from './redis-limiter.js';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  redis: string;
  /** @default 'orchestrate-tasks' */
  queue?: string;
  /** Tasks this worker runs at once. @default 4 */
  concurrency?: number;
  /** Model requests per minute across every worker of the queue; none when undefined. */
  requestsPerMinute?: number;
  /** The worker's environment: API keys, base URL. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** One line per thing the worker does. */
  log?: (line: string) => void;
  /** How long a job's lock lasts without renewal; a job whose worker died is run again after it. @default 30000 */
  lockMs?: number;
  /**
   * Tasks at once across every worker of the queue (BullMQ's global concurrency, kept in Redis):
   * set for the queue when given, removed when 0. Unset, the queue keeps what it has.
   */
  globalConcurrency?: number;
  /**
   * Never read a run's workspace by its path, even on the run's host: fetch its base commit
   * instead (a worker in a container, or to check that a run works from its commit alone).
   * A worker on another host, or one that cannot see the path, always fetches. @default false
   */
  isolated?: boolean;
  /** Where fetched base commits are kept, one folder per commit. @default $XDG_CACHE_HOME/orchestrate/workspaces (~/.cache/...) */
  workspaceCache?: string;
}

/** What a worker's health endpoint serves. */
export interface WorkerHealth {
  name: string;
  queue: string;
  /** Tasks running now, and their job ids. */
  running: number;
  jobs: string[];
  done: number;
  failed: number;
  /** Jobs this worker gave back to the queue when it stopped before they finished. */
  handedBack: number;
  /** SIGTERM was received: it takes no more tasks. */
  stopping: boolean;
}

export interface WorkerHandle {
  /** `<host>:<pid>`: what the report names as the worker of a task. */
  name: string;
  health(): WorkerHealth;
  /**
   * Stops taking jobs and waits for the running ones to finish; after `graceMs` (or at
   * {@link WorkerHandle.handBack}), stops those still running and gives their jobs back to the
   * queue, where another worker takes them. @default graceMs Infinity
   */
  close(graceMs?: number): Promise<void>;
  /** Stops the running tasks now and gives their jobs back to the queue (a second SIGTERM). */
  handBack(): void;
}

/**
 * A worker: takes agent tasks from the queue and runs them with the same agents, providers,
 * tools and sandbox as the in-process executor. A job of another protocol version, or one that
 * fails its schema, is failed at once with the reason (never retried).
 */
export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const target = redisTarget(options.redis);
  const name = queueName(options.queue);
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const me = `${hostname()}:${process.pid}`;
  const running = new Map<string, AbortController>();
  const counts = { done: 0, failed: 0, handedBack: 0 };
  /** Jobs being given back to the queue: their tasks are stopped and their results thrown away. */
  const handingBack = new Set<string>();
  let stopping = false;
  let limiter: RedisRateLimiter | undefined;
  const providers = new Map<string, Promise<ProviderChoice>>();

  const cacheDir = options.workspaceCache ?? path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'orchestrate', 'workspaces');
  /**
   * The task with a workspace this worker can read: the run's own on the same host, else the
   * base commit fetched into the cache (once per commit). Nothing is ever written to the run's
   * repository: staged files go back in the result.
   */
  const reachable = async (spec: TaskSpec, jobId: string): Promise<TaskSpec> => {
    if (!options.isolated && spec.workspace.host === hostname() && existsSync(spec.workspace.path)) return spec;
    const base = spec.workspace.base;
    if (!base) {
      throw new UnrecoverableError(`job ${jobId} needs the workspace ${spec.workspace.path} on host ${spec.workspace.host}, which this worker cannot read, and the run has no base commit to fetch (commit in the workspace first)`);
    }
    try {
      const { dir, fetched } = await checkoutCommit(base.url, base.commit, cacheDir);
      if (fetched) log(`fetched ${base.commit.slice(0, 12)} from ${withoutCredentials(base.url)} into ${dir}`);
      return { ...spec, workspace: { ...spec.workspace, path: dir } };
    } catch (error) {
      throw new UnrecoverableError(`job ${jobId} cannot fetch the run's base commit ${base.commit} from ${withoutCredentials(base.url)}: ${withoutCredentials((error as Error).message.split('\n')[0] ?? '')}; give the run a git URL this worker reaches (--git-url)`);
    }
  };

  const process_ = async (job: Job, token?: string): Promise<TaskResult> => {
    const version = (job.data as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== TASK_SPEC_VERSION) {
      throw new UnrecoverableError(`job ${job.id} carries task schema version ${JSON.stringify(version)}; this worker reads version ${TASK_SPEC_VERSION}: run a worker of the same orchestrate version as the run`);
    }
    const parsed = TaskSpec.safeParse(job.data);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
      throw new UnrecoverableError(`job ${job.id} is not a valid task: ${problems}`);
    }
    const spec = await reachable(parsed.data, job.id!);
    const definition = PROVIDERS.find((known) => known.name === spec.model.provider);
    if (!definition) throw new UnrecoverableError(`job ${job.id} needs the provider "${spec.model.provider}", which this worker does not have (${PROVIDER_NAMES.join(', ')})`);
    const kind = await prepareKind(spec.kind, spec.inputs, { offline: definition.playsKindRoles === true });
    // A provider with a client (Anthropic's SDK client and connections) is made once per model
    // override and reused by every job; one that plays the kind's roles is made per job.
    const key = `${definition.name}:${spec.model.override ?? ''}`;
    const provider = !definition.playsKindRoles
      ? await (providers.get(key) ?? remember(providers, key, selectProvider({ env, provider: definition.name, model: spec.model.override })))
      : await selectProvider({ env, provider: spec.model.provider, model: spec.model.override, offlineRoles: kind.offlineRoles });
    const guard = new SecretGuard(spec.inputs, env, kind.secretEnvVars);
    const controller = new AbortController();
    running.set(job.id!, controller);
    log(`running ${spec.runId} ${spec.task.id} (attempt ${spec.attempt}, job ${job.id})`);
    let seq = 0;
    const from = `${me}:${job.attemptsStarted}:${Date.now()}`;
    try {
      const result = await runAgentTask(
        spec,
        {
          signal: controller.signal,
          onEvent: (event) => {
            const message: ProgressMessage = { from, seq: seq++, event };
            void job.updateProgress(message as unknown as object).catch(() => undefined);
          },
        },
        {
          model: (agent) => provider.resolve(agent.model),
          ...(limiter
            ? {
                acquire: (signal: AbortSignal) =>
                  limiter!.acquire(signal, (ms) => log(`waiting ${Math.ceil(ms / 1000)} s for the model request limit (${limiter!.requestsPerMinute} a minute across workers): ${spec.runId} ${spec.task.id}`)),
              }
            : {}),
          describeHits: (repoPath, content) => guard.describeHits(repoPath, content),
          admitLearning: (learning, task) => guard.check(learning, task),
          worker: me,
        },
      );
      if (handingBack.has(job.id!)) {
        // Given back: the job waits in the queue again for another worker, as if never taken.
        await job.moveToWait(token);
        counts.handedBack++;
        log(`handed back ${spec.runId} ${spec.task.id} (attempt ${spec.attempt}, job ${job.id}) to the queue`);
        throw new WaitingError();
      }
      if (result.outcome === 'done') counts.done++;
      else counts.failed++;
      log(`${result.outcome === 'done' ? 'done' : 'failed'} ${spec.runId} ${spec.task.id} (attempt ${spec.attempt})${result.error ? `: ${result.error.code} ${result.error.message}` : ''}`);
      return result;
    } finally {
      running.delete(job.id!);
      handingBack.delete(job.id!);
    }
  };

  const worker = new Worker(name, process_, {
    connection: target.connection,
    concurrency: options.concurrency ?? 4,
    name: me,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: Math.max(1000, Math.floor((options.lockMs ?? 30_000) / 2)),
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('error', (error) => log(`error: ${error.message}`));
  worker.on('failed', (job, error) => {
    if (error instanceof UnrecoverableError || error.name === 'UnrecoverableError') {
      counts.failed++;
      log(`refused job ${job?.id}: ${error.message}`);
    }
  });
  await worker.waitUntilReady();
  if (options.requestsPerMinute !== undefined) limiter = new RedisRateLimiter(await worker.getBackend().client, name, options.requestsPerMinute);
  if (options.globalConcurrency !== undefined) {
    const queue = new Queue(name, { connection: target.connection });
    try {
      if (options.globalConcurrency > 0) await queue.setGlobalConcurrency(options.globalConcurrency);
      else await queue.removeGlobalConcurrency();
    } finally {
      await queue.close();
    }
  }
  // Cancellation from the coordinator, as a custom event on the queue's event stream.
  const events = new QueueEvents(name, { connection: target.connection });
  events.on('error', () => undefined);
  await events.waitUntilReady();
  events.on(CANCEL_EVENT as 'error', ((args: { jobId: string }) => {
    const jobId = args.jobId;
    const controller = running.get(jobId);
    if (controller) {
      log(`cancelled job ${jobId}`);
      controller.abort(new Error('cancelled by the run'));
    }
  }) as unknown as (error: Error) => void);
  void worker.run();
  const handBack = () => {
    for (const [jobId, controller] of running) {
      if (handingBack.has(jobId)) continue;
      handingBack.add(jobId);
      controller.abort(new Error('the worker is stopping; the task goes back to the queue'));
    }
  };
  return {
    name: me,
    health: () => ({ name: me, queue: name, running: running.size, jobs: [...running.keys()], ...counts, stopping }),
    handBack,
    async close(graceMs = Infinity) {
      stopping = true;
      const closed = worker.close();
      let timer: NodeJS.Timeout | undefined;
      if (Number.isFinite(graceMs)) timer = setTimeout(handBack, graceMs);
      try {
        await closed;
      } finally {
        clearTimeout(timer);
        await events.close();
      }
    },
  };
}

/** Keeps a promise under its key (a failed one is forgotten, so the next job tries again). */
function remember<T>(cache: Map<string, Promise<T>>, key: string, made: Promise<T>): Promise<T> {
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  return made;
}

/** A URL as it may be printed: without a user or password in it. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/g, '//');
}
