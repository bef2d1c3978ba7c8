/**
 * The floor: a minimal hand-written dependency scheduler. It starts each task the moment its
 * dependencies finish (bounded only when the case asks for it) and does nothing else: no
 * events, no journal, no retries. What any engine's overhead is measured against.
 */
import { sleep } from './cases.mjs';

export function prepare(tasks, concurrency) {
  return () =>
    new Promise((resolve) => {
      const index = new Map(tasks.map((t, i) => [t.id, i]));
      const waiting = tasks.map((t) => t.needs.length);
      const dependents = tasks.map(() => []);
      tasks.forEach((t, i) => t.needs.forEach((need) => dependents[index.get(need)].push(i)));
      const queue = [];
      let head = 0;
      let running = 0;
      let left = tasks.length;
      const pump = () => {
        while (running < concurrency && head < queue.length) run(queue[head++]);
      };
      const run = (i) => {
        running++;
        const ms = tasks[i].ms;
        (ms > 0 ? sleep(ms) : Promise.resolve()).then(() => {
          running--;
          if (--left === 0) return resolve();
          for (const d of dependents[i]) if (--waiting[d] === 0) queue.push(d);
          pump();
        });
      };
      tasks.forEach((t, i) => t.needs.length === 0 && queue.push(i));
      pump();
    });
}
