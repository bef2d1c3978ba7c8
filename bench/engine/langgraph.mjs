/**
 * @langchain/langgraph: the same graph as a StateGraph, one node per task; a task with several
 * needs is a waiting edge (`addEdge([a, b], c)`), so it runs once all of them are done.
 */
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { sleep } from './cases.mjs';

export function prepare(tasks, concurrency) {
  const State = Annotation.Root({ done: Annotation({ reducer: (a, b) => a + b, default: () => 0 }) });
  const graph = new StateGraph(State);
  const needed = new Set(tasks.flatMap((t) => t.needs));
  for (const t of tasks) {
    const update = { done: 1 };
    graph.addNode(t.id, () => (t.ms > 0 ? sleep(t.ms, update) : update));
  }
  for (const t of tasks) {
    if (t.needs.length === 0) graph.addEdge(START, t.id);
    else if (t.needs.length === 1) graph.addEdge(t.needs[0], t.id);
    else graph.addEdge(t.needs, t.id);
    if (!needed.has(t.id)) graph.addEdge(t.id, END);
  }
  const app = graph.compile();
  const config = { recursionLimit: tasks.length + 10, ...(Number.isFinite(concurrency) ? { maxConcurrency: concurrency } : {}) };
  return async () => {
    const state = await app.invoke({}, config);
    if (state.done !== tasks.length) throw new Error(`langgraph ran ${state.done} of ${tasks.length} tasks`);
  };
}
