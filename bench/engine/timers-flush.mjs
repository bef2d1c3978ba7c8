/**
 * Timers and one flush: the timers alone (bench/engine/timers.mjs), then what a durable run's end
 * must pay at least on this disk: one journal-sized file written and fdatasynced beside one fsync
 * of its folder, in a fresh folder each run, as `runWorkflow`'s end does (see README, Interrupted
 * runs and resume). The bound a durable run can be held to here: an fsync costs from a quarter of a
 * millisecond to several on this shared disk, so "within 1 point of timers alone" cannot hold for
 * a 60 ms run that must flush its journal before it returns; against this baseline it can.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepare as prepareTimers } from './timers.mjs';

/** About what run-workflow's journal holds for the case: two lines per task and per phase, a start and an end. */
const LINE_BYTES = 260;

export function prepare(tasks, concurrency) {
  const timers = prepareTimers(tasks, concurrency);
  const data = Buffer.alloc(LINE_BYTES * (2 * tasks.length + 4), 'x');
  const root = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'orchestrate-bench-flush-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return async () => {
    await timers();
    const folder = path.join(root, String(n++));
    mkdirSync(folder);
    const file = await open(path.join(folder, 'journal.jsonl'), 'w');
    const dir = await open(folder, 'r');
    try {
      await Promise.all([file.write(data, 0, data.length, 0).then(() => file.datasync()), dir.sync()]);
    } finally {
      await Promise.all([file.close(), dir.close()]);
    }
  };
}
