export function idealLanes(tasks: readonly { id: string; needs: readonly string[]; ms: number }[], concurrency: number): number[][];
export function prepare(tasks: readonly { id: string; needs: readonly string[]; ms: number }[], concurrency: number): () => Promise<void>;
