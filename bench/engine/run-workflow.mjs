/**
 * This engine as a user calls it: `runWorkflow` from the package entry (dist/index.js) with a
 * workflow made by `defineWorkflow` of function tasks, default options (journal, log, report and
 * manifest on disk, in a temporary workspace). BENCH_DURABILITY picks the journal's durability
 * mode (`sync`, `batched`, `exit`); unset, the default. BENCH_PERSIST=0: an ephemeral run
 * (`persist: false`), which writes nothing.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineWorkflow, runWorkflow } from '../../dist/index.js';
import { sleep } from './cases.mjs';

const DONE = null;

export function prepare(tasks, concurrency) {
  const flow = defineWorkflow({
    name: 'bench',
    description: 'benchmark graph',
    phases: [
      {
        id: 'bench',
        name: 'bench',
        tasks: tasks.map((t) => ({ id: t.id, needs: t.needs, run: t.ms > 0 ? () => sleep(t.ms, DONE) : () => DONE })),
      },
    ],
  });
  const root = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'orchestrate-bench-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const durability = process.env.BENCH_DURABILITY;
  const persist = process.env.BENCH_PERSIST !== '0';
  // A fresh workspace per run, made before the timed runs (an ephemeral run writes nothing: one will do).
  const count = persist ? Number(process.env.BENCH_WARMUP ?? 30) + Number(process.env.BENCH_REPEAT ?? 30) + 1 : 1;
  const pool = Array.from({ length: count }, (_, i) => mkdirSync(path.join(root, String(i)), { recursive: true }) ?? path.join(root, String(i)));
  let n = 0;
  return async () => {
    const cwd = persist ? (pool[n++] ?? mkdirSync(path.join(root, `extra-${n}`), { recursive: true })) : pool[0];
    const result = await runWorkflow({ workflow: flow, cwd, concurrency, runtime: { env: {} }, ...(durability ? { durability } : {}), ...(persist ? {} : { persist }) });
    if (result.status !== 'complete') throw new Error(`bench run did not complete: ${result.status}`);
    // The run folders are removed when the process exits, outside the timed runs.
  };
}
