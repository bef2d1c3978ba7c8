/**
 * Mastra (@mastra/core 0.24.9, the newest that runs on Node 20): the same graph as a workflow of
 * steps, as a user writes it with `createWorkflow` and `createStep` from the package entry, and
 * runs it with `createRunAsync()` + `start()` (no Mastra instance, so no storage: Mastra's
 * default for a workflow run on its own). Mastra builds graphs from sequences (`.then`) and
 * parallel groups (`.parallel`), not from a task list with needs, so each case's graph is
 * written in those terms:
 * - a layered graph (each task needs every task of the layer before: five-phase, fan-outs,
 *   chains) is one `.then` per layer, `.parallel` where a layer has several tasks;
 * - a fork of chains joined by one task (uneven) is `.parallel` of nested workflows, one per
 *   chain, then the join;
 * - independent tasks under a concurrency limit (limited) are `.foreach` over the tasks with
 *   Mastra's `concurrency` option, its way of bounding how many run at once.
 */
import { createStep, createWorkflow } from '@mastra/core/workflows';
import { z } from 'zod';
import { sleep } from './cases.mjs';

const ANY = z.any();
const DONE = null;

function step(task) {
  return createStep({ id: task.id, inputSchema: ANY, outputSchema: ANY, execute: task.ms > 0 ? () => sleep(task.ms, DONE) : async () => DONE });
}

/** The layers of a graph whose every task needs exactly the whole layer before it; undefined otherwise. */
function layers(tasks) {
  const out = [];
  let previous = [];
  const left = new Set(tasks.map((t) => t.id));
  while (left.size) {
    const layer = tasks.filter((t) => left.has(t.id) && t.needs.every((n) => !left.has(n)));
    const expected = new Set(previous);
    if (!layer.length || layer.some((t) => t.needs.length !== expected.size || t.needs.some((n) => !expected.has(n)))) return undefined;
    out.push(layer);
    for (const t of layer) left.delete(t.id);
    previous = layer.map((t) => t.id);
  }
  return out;
}

/** A workflow of the layers: `.then` for a layer of one, `.parallel` for a wider one. */
function sequence(id, layerList) {
  let flow = createWorkflow({ id, inputSchema: ANY, outputSchema: ANY });
  for (const layer of layerList) flow = layer.length === 1 ? flow.then(step(layer[0])) : flow.parallel(layer.map(step));
  return flow.commit();
}

function build(tasks, concurrency) {
  if (Number.isFinite(concurrency)) {
    if (tasks.some((t) => t.needs.length)) throw new Error('mastra: a limited case must be independent tasks');
    const body = createStep({ id: 'task', inputSchema: ANY, outputSchema: ANY, execute: ({ inputData }) => (inputData > 0 ? sleep(inputData, DONE) : DONE) });
    const flow = createWorkflow({ id: 'bench', inputSchema: ANY, outputSchema: ANY }).foreach(body, { concurrency }).commit();
    return { flow, input: tasks.map((t) => t.ms) };
  }
  const layered = layers(tasks);
  if (layered) return { flow: sequence('bench', layered), input: {} };
  // A fork of chains joined by one task.
  const join = tasks.find((t) => !tasks.some((other) => other.needs.includes(t.id)));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const chains = join.needs.map((end) => {
    const chain = [];
    for (let t = byId.get(end); t; t = t.needs.length === 1 ? byId.get(t.needs[0]) : undefined) {
      if (t.needs.length > 1) throw new Error('mastra: only a fork of chains can be built');
      chain.unshift([t]);
    }
    return chain;
  });
  const branches = chains.map((chain, i) => (chain.length === 1 ? step(chain[0][0]) : sequence(`branch-${i}`, chain)));
  const flow = createWorkflow({ id: 'bench', inputSchema: ANY, outputSchema: ANY }).parallel(branches).then(step(join)).commit();
  return { flow, input: {} };
}

export function prepare(tasks, concurrency) {
  const { flow, input } = build(tasks, concurrency);
  return async () => {
    const run = await flow.createRunAsync();
    const result = await run.start({ inputData: input });
    if (result.status !== 'success') throw new Error(`mastra run ended ${result.status}: ${result.error?.message ?? ''}`);
  };
}
