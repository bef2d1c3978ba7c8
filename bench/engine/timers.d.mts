import type { BenchTask } from './cases.mjs';

export function idealLanes(tasks: readonly BenchTask[], concurrency: number): number[][];
export function prepare(tasks: readonly BenchTask[], concurrency: number): () => Promise<void>;
