export interface BenchTask {
  id: string;
  needs: string[];
  ms: number;
}
export const CASES: Record<string, { tasks: () => BenchTask[]; concurrency: number; boundMs: number | null; perTask?: boolean }>;
export function sleep<T>(ms: number, value?: T): Promise<T>;
