import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { timeOrderedRunIds, type RunIdFactory } from './ids.js';

/** Where the package's own agents, workflows and seed expertise live. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The injected environment of a run: clock, ids, environment variables and roots.
 * Every field has a real default; tests replace what they need.
 */
export interface Runtime {
  clock: Clock;
  newRunId: RunIdFactory;
  env: Readonly<Record<string, string | undefined>>;
  packageRoot: string;
}

export function createRuntime(overrides: Partial<Runtime> = {}): Runtime {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    newRunId: overrides.newRunId ?? timeOrderedRunIds(clock),
    env: overrides.env ?? process.env,
    packageRoot: overrides.packageRoot ?? PACKAGE_ROOT,
  };
}
