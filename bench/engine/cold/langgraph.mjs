// Cold start of LangGraph: import the package entry, then (with "run") build and invoke a
// one-node graph.
const { Annotation, END, START, StateGraph } = await import('@langchain/langgraph');
if (process.argv[2] === 'run') {
  const State = Annotation.Root({ done: Annotation({ reducer: (a, b) => a + b, default: () => 0 }) });
  const app = new StateGraph(State).addNode('a', () => ({ done: 1 })).addEdge(START, 'a').addEdge('a', END).compile();
  const state = await app.invoke({});
  if (state.done !== 1) process.exit(1);
}
