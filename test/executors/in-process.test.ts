import { describe } from 'vitest';
import { executorConformance } from './conformance.js';

describe('executor conformance: in-process (the default)', () => {
  executorConformance({ start: async () => undefined, executor: () => undefined, stop: async () => undefined });
});
