import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What one search matches: the files (already checked against the read rules) and the limits. */
export interface SearchJob {
  pattern: string;
  /** Each file as shown in results, and its real path. */
  files: ReadonlyArray<{ shown: string; file: string }>;
  maxMatches: number;
  /** Files larger than this are skipped unread. */
  maxBytes: number;
  /** Lines longer than this are shown cut. */
  shownLine: number;
}

/**
 * Runs the matching of a search in a worker thread, terminated when `signal` aborts (the task's
 * timeout, Ctrl-C). RE2 is linear in the text, but its constant can be large: a pattern such as
 * `[ab]*a[ab]{20}c` defeats RE2's DFA cache and takes tens of seconds on one 256 KB line, all of
 * it inside one synchronous call that no timer or signal handler could interrupt on the main
 * thread. Terminating the worker stops the WebAssembly mid-match.
 *
 * The worker's code is {@link searchInWorker}'s source, run with `eval`, so the same code runs
 * from the TypeScript sources (tests) and from dist/ without a separate entry file to locate.
 */
export function matchInWorker(job: SearchJob, signal: AbortSignal): Promise<string[]> {
  signal.throwIfAborted();
  const re2 = createRequire(import.meta.url).resolve('re2-wasm');
  const worker = new Worker(`(${searchInWorker.toString()})()`, { eval: true, workerData: { ...job, re2 } });
  return new Promise<string[]>((resolve, reject) => {
    const stop = () => {
      void worker.terminate();
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
    const settle = () => signal.removeEventListener('abort', stop);
    worker.once('message', (matches: string[]) => {
      settle();
      resolve(matches);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code) => {
      settle();
      reject(new Error(`the search worker stopped (exit code ${code}) before it answered`));
    });
  });
}

/**
 * The worker's whole program: self-contained (it is sent as source text), CommonJS, plain JS.
 * Reads each file (skipping large and binary ones) and tests each line.
 */
function searchInWorker(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { readFileSync, statSync } = require('node:fs') as typeof import('node:fs');
  const job = workerData as SearchJob & { re2: string };
  const { RE2 } = require(job.re2) as typeof import('re2-wasm');
  const regex = new RE2(job.pattern, 'u');
  const matches: string[] = [];
  for (const { shown, file } of job.files) {
    if (matches.length >= job.maxMatches) break;
    let text: string;
    try {
      if (statSync(file).size > job.maxBytes) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (text.includes('\0')) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && matches.length < job.maxMatches; i++) {
      if (regex.test(lines[i]!)) matches.push(`${shown}:${i + 1}: ${lines[i]!.slice(0, job.shownLine)}`);
    }
  }
  parentPort!.postMessage(matches);
}
