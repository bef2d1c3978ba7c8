/**
 * The benchmark's graphs, engine-neutral: tasks with ids, needs and a duration (0 = no-op).
 * Every engine runs exactly these graphs.
 */

const task = (id, needs, ms) => ({ id, needs, ms });

/** Phases of the given widths; each task needs every task of the previous phase. */
function phased(widths, ms) {
  const tasks = [];
  let previous = [];
  widths.forEach((width, p) => {
    const ids = Array.from({ length: width }, (_, i) => `p${p}-t${i}`);
    for (const id of ids) tasks.push(task(id, previous, ms));
    previous = ids;
  });
  return tasks;
}

function fanOut(n) {
  const middle = Array.from({ length: n }, (_, i) => task(`t${i}`, ['root'], 0));
  return [task('root', [], 0), ...middle, task('join', middle.map((t) => t.id), 0)];
}

function chain(n) {
  return Array.from({ length: n }, (_, i) => task(`t${i}`, i === 0 ? [] : [`t${i - 1}`], 0));
}

/** name -> { tasks, concurrency, boundMs, perTask } ; `perTask` cases report microseconds per task. */
export const CASES = {
  'five-phase': { tasks: () => phased([2, 1, 2, 2, 1], 20), concurrency: Infinity, boundMs: 100 },
  uneven: {
    tasks: () => [task('long', [], 60), task('a', [], 20), task('b', ['a'], 20), task('c', ['b'], 20), task('join', ['long', 'c'], 0)],
    concurrency: Infinity,
    boundMs: 60,
  },
  'fan-out-100': { tasks: () => fanOut(100), concurrency: Infinity, boundMs: null, perTask: true },
  'fan-out-1000': { tasks: () => fanOut(1000), concurrency: Infinity, boundMs: null, perTask: true },
  'fan-out-10000': { tasks: () => fanOut(10_000), concurrency: Infinity, boundMs: null, perTask: true },
  'chain-1000': { tasks: () => chain(1000), concurrency: Infinity, boundMs: null, perTask: true },
  'chain-10000': { tasks: () => chain(10_000), concurrency: Infinity, boundMs: null, perTask: true },
  limited: { tasks: () => Array.from({ length: 200 }, (_, i) => task(`t${i}`, [], 10)), concurrency: 8, boundMs: 250 },
};

/**
 * A task's body: one promise that resolves with `value` after `ms`. Each engine's adapter calls
 * it directly, so no engine pays for an extra async frame the harness added around it.
 */
export const sleep = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));
