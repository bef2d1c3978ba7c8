import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../helpers/workspace.js';
import { REDIS_URL } from '../helpers/needs.js';

/** A real `orchestrate worker` child process. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Its name, `<host>:<pid>`, as the journal and report give it. */
  name: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves when its output matches. */
  waitFor(pattern: RegExp): Promise<void>;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/** Starts a worker on `queue` with `env` (a short job lock, so a killed worker's job is taken over soon). */
export async function startWorkerProcess(queue: string, env: Record<string, string>, args: string[] = [], cwd?: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', REDIS_URL, '--queue', queue, ...args], {
    ...(cwd ? { cwd } : {}),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ORCHESTRATE_WORKER_LOCK_MS: '2000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(out)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const worker: WorkerProcess = {
    child,
    name: '',
    output: () => out,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(out)) return resolve();
        waiters.push({ pattern, resolve });
        void exited.then(() => (pattern.test(out) ? resolve() : reject(new Error(`worker exited before printing ${pattern}: ${out}`))));
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  await worker.waitFor(/taking tasks from queue/);
  worker.name = /worker (\S+) taking tasks/.exec(out)![1]!;
  return worker;
}
