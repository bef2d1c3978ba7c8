import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { noExtra, parseCommandArgs, parseCount, parseWhole } from '../args.js';
import type { Command } from '../io.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'health-port': { type: 'string' },
  'global-concurrency': { type: 'string' },
  'drain-seconds': { type: 'string' },
  isolated: { type: 'boolean' },
  'workspace-cache': { type: 'string' },
  debug: { type: 'boolean' },
} as const;

export const command: Command = {
  summary: 'Run agent tasks from a queue on Redis (BullMQ) for runs started with --redis',
  usage: `Usage: orchestrate worker --redis <url> [options]

Takes agent tasks from the BullMQ queue on Redis and runs them with the same agents, providers,
tools and sandbox as a run in one process. Start as many as you like, on any host: a worker
that cannot read a run's workspace by its path fetches the run's base commit from the git URL
the run gives (--git-url) into a cache, one folder per commit. A run started with
--redis <url> (or ORCHESTRATE_REDIS_URL) dispatches its agent tasks to them. The worker uses its
own environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL.

It prints one line per task it runs. SIGTERM or Ctrl-C stops it taking tasks and waits for the
ones it runs (at most --drain-seconds); a second SIGTERM, or the end of --drain-seconds, stops
them and gives their jobs back to the queue for another worker. A worker killed outright has its
tasks run again by another worker once their locks lapse.

Options:
  --redis <url>                 redis://host:port[/db] (default: ORCHESTRATE_REDIS_URL)
  --queue <name>                the queue (default orchestrate-tasks)
  --concurrency <n>             tasks at once (default 4)
  --requests-per-minute <n>     model requests per minute across every worker of the queue
  --global-concurrency <n>      tasks at once across every worker of the queue (kept in Redis; 0 removes the bound)
  --drain-seconds <n>           on SIGTERM, wait at most this long for running tasks, then give them back (default: wait)
  --isolated                    never read a run's workspace by its path: fetch its base commit (as on another host)
  --workspace-cache <dir>       where fetched base commits are kept (default ~/.cache/orchestrate/workspaces)
  --health-port <port>          serve the worker's state as JSON on http://127.0.0.1:<port>/health (0: any free port)

Examples:
  orchestrate worker --redis redis://127.0.0.1:6379
  orchestrate worker --redis redis://127.0.0.1:6379 --concurrency 8 --requests-per-minute 50 --global-concurrency 16`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('worker', argv, OPTIONS);
    noExtra(positionals, 'worker');
    const redis = values.redis ?? io.env.ORCHESTRATE_REDIS_URL;
    if (!redis) throw new UserError('MISSING_REDIS', 'name the Redis to take tasks from: orchestrate worker --redis redis://127.0.0.1:6379 (or set ORCHESTRATE_REDIS_URL)');
    const concurrency = parseCount(values.concurrency, '--concurrency') ?? 4;
    const rpm = parseCount(values['requests-per-minute'], '--requests-per-minute');
    const healthPort = parseWhole(values['health-port'], '--health-port');
    const globalConcurrency = parseWhole(values['global-concurrency'], '--global-concurrency');
    const drainSeconds = parseWhole(values['drain-seconds'], '--drain-seconds');
    const { checkRedis, queueName, redisTarget, startWorker } = await import('../../executors/queue/index.js');
    const target = redisTarget(redis);
    const queue = queueName(values.queue);
    await checkRedis(target, queue);
    const lockMs = io.env.ORCHESTRATE_WORKER_LOCK_MS ? Number(io.env.ORCHESTRATE_WORKER_LOCK_MS) : undefined;
    const worker = await startWorker({
      redis,
      queue,
      concurrency,
      ...(rpm !== undefined ? { requestsPerMinute: rpm } : {}),
      ...(lockMs ? { lockMs } : {}),
      ...(globalConcurrency !== undefined ? { globalConcurrency } : {}),
      ...(values.isolated ? { isolated: true } : {}),
      ...(values['workspace-cache'] ? { workspaceCache: path.resolve(values['workspace-cache']) } : {}),
      env: io.env,
      log: (line) => io.out(`${new Date().toISOString()} ${line}`),
    });
    const server =
      healthPort !== undefined
        ? await new Promise<Server>((resolve, reject) => {
            const made = createServer((request, response) => {
              response.writeHead(request.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
              response.end(JSON.stringify(worker.health()));
            });
            made.once('error', (error) => reject(new UserError('BAD_ARGUMENTS', `--health-port ${healthPort}: ${error.message}`)));
            made.listen(healthPort, '127.0.0.1', () => resolve(made));
          })
        : undefined;
    if (server) io.out(`worker ${worker.name} health at http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
    io.out(`worker ${worker.name} taking tasks from queue ${queue} at ${target.url}, ${concurrency} at a time${rpm ? `, ${rpm} model requests per minute across workers` : ''}${globalConcurrency ? `, ${globalConcurrency} at a time across workers` : ''}`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        // A second signal: stop what runs now and give it back to the queue.
        const again = () => {
          io.out(`worker ${worker.name} giving back ${worker.health().running} running task(s) to the queue`);
          worker.handBack();
        };
        process.on('SIGTERM', again);
        process.on('SIGINT', again);
        io.out(`worker ${worker.name} stopping: finishing ${worker.health().running} running task(s)${drainSeconds !== undefined ? ` for at most ${drainSeconds} s` : ''}`);
        resolve();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    await worker.close(drainSeconds !== undefined ? drainSeconds * 1000 : Infinity);
    server?.close();
    io.out(`worker ${worker.name} stopped`);
    return 0;
  },
};
