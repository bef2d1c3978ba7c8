import { createServer } from 'node:http';
import { UserError } from '../../errors.js';
import { noExtra, parseCommandArgs, parseCount } from '../args.js';
import type { Command } from '../io.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'health-port': { type: 'string' },
  debug: { type: 'boolean' },
} as const;

export const command: Command = {
  summary: 'Run agent tasks from a queue on Redis (BullMQ) for runs started with --redis',
  usage: `Usage: orchestrate worker --redis <url> [options]

Takes agent tasks from the BullMQ queue on Redis and runs them with the same agents, providers,
tools and sandbox as a run in one process. Start as many as you like, on this host (other hosts
are not supported yet: a worker reads the run's workspace by its path). A run started with
--redis <url> (or ORCHESTRATE_REDIS_URL) dispatches its agent tasks to them. The worker uses its
own environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL.

It prints one line per task it runs. SIGTERM or Ctrl-C stops it taking tasks and waits for the
ones it runs; a worker killed outright has its tasks run again by another worker.

Options:
  --redis <url>                 redis://host:port[/db] (default: ORCHESTRATE_REDIS_URL)
  --queue <name>                the queue (default orchestrate-tasks)
  --concurrency <n>             tasks at once (default 4)
  --requests-per-minute <n>     model requests per minute across every worker of the queue
  --health-port <port>          serve {"name","queue","running","done","failed"} on http://127.0.0.1:<port>/health

Examples:
  orchestrate worker --redis redis://127.0.0.1:6379
  orchestrate worker --redis redis://127.0.0.1:6379 --concurrency 8 --requests-per-minute 50`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('worker', argv, OPTIONS);
    noExtra(positionals, 'worker');
    const redis = values.redis ?? io.env.ORCHESTRATE_REDIS_URL;
    if (!redis) throw new UserError('MISSING_REDIS', 'name the Redis to take tasks from: orchestrate worker --redis redis://127.0.0.1:6379 (or set ORCHESTRATE_REDIS_URL)');
    const concurrency = parseCount(values.concurrency, '--concurrency') ?? 4;
    const rpm = parseCount(values['requests-per-minute'], '--requests-per-minute');
    const healthPort = parseCount(values['health-port'], '--health-port');
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
      env: io.env,
      log: (line) => io.out(`${new Date().toISOString()} ${line}`),
    });
    const server = healthPort
      ? createServer((request, response) => {
          response.writeHead(request.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
          response.end(JSON.stringify(worker.health()));
        }).listen(healthPort, '127.0.0.1')
      : undefined;
    io.out(`worker ${worker.name} taking tasks from queue ${queue} at ${target.url}, ${concurrency} at a time${rpm ? `, ${rpm} model requests per minute across workers` : ''}`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        io.out(`worker ${worker.name} stopping: finishing ${worker.health().running} running task(s)`);
        resolve();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    server?.close();
    await worker.close();
    io.out(`worker ${worker.name} stopped`);
    return 0;
  },
};
