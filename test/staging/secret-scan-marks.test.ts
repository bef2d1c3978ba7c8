import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { createSecretScanner } from '../../src/staging/secret-scan.js';

// secretlint's process-wide profiler kept a performance mark per rule per scan and searched them
// all at each new one: a worker scanning for hours grew slower and larger without end.
it('a scan leaves no performance marks behind, however many scans a process makes', async () => {
  const scanner = createSecretScanner();
  const before = performance.getEntriesByType('mark').length + performance.getEntriesByType('measure').length;
  for (let i = 0; i < 50; i++) await scanner.scan({ source: 'file', path: `src/a${i}.ts`, content: 'export const a = 1;\n' });
  await new Promise((resolve) => setImmediate(resolve));
  expect(performance.getEntriesByType('mark').length + performance.getEntriesByType('measure').length).toBe(before);
});
