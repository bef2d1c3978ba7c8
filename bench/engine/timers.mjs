/**
 * Timers alone: no scheduler at all, the lower bound of a bound case on this machine. The ideal
 * schedule is worked out before the run (each task starts the moment its needs end, in the
 * lowest free slot of `concurrency`); each slot's tasks are then slept back to back, a wait for
 * another slot folded into the next sleep. What is left over the bound is the machine's timer
 * latency, which no engine can avoid; an engine's own overhead is what it adds on top.
 * Only for the cases with a bound (a no-op task sets no timer).
 */
import { sleep } from './cases.mjs';

/** Per slot, the sleeps of its tasks in order: [[ms, ...], ...]. */
export function idealLanes(tasks, concurrency) {
  const index = new Map(tasks.map((t, i) => [t.id, i]));
  const end = new Array(tasks.length).fill(undefined);
  const slotFree = []; // the ideal time each slot is free again
  const lanes = [];
  const laneAt = [];
  let left = tasks.length;
  let now = 0;
  while (left > 0) {
    for (let i = 0; i < tasks.length; i++) {
      if (end[i] !== undefined || !tasks[i].needs.every((need) => end[index.get(need)] !== undefined && end[index.get(need)] <= now)) continue;
      let slot = slotFree.findIndex((free) => free <= now);
      if (slot < 0) {
        if (slotFree.length >= concurrency) break;
        slot = slotFree.push(now) - 1;
        lanes.push([]);
        laneAt.push(0);
      }
      end[i] = now + tasks[i].ms;
      slotFree[slot] = end[i];
      left--;
      if (tasks[i].ms > 0) {
        lanes[slot].push(now - laneAt[slot] + tasks[i].ms); // a wait for another slot, then the task
        laneAt[slot] = end[i];
      }
    }
    const later = [...end, ...slotFree].filter((t) => t !== undefined && t > now);
    if (left > 0 && later.length === 0) throw new Error('timers: the graph cannot be scheduled');
    now = Math.min(...later);
  }
  return lanes.filter((lane) => lane.length > 0);
}

export function prepare(tasks, concurrency) {
  const lanes = idealLanes(tasks, concurrency);
  return () =>
    new Promise((resolve) => {
      let running = lanes.length;
      for (const lane of lanes) {
        let k = 0;
        const next = () => {
          if (k < lane.length) sleep(lane[k++]).then(next);
          else if (--running === 0) resolve();
        };
        next();
      }
    });
}
