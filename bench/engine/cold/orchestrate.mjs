// Cold start of a code-only workflow through the package entry: import, then (with "run") define
// and run a one-task workflow with the defaults, in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { defineWorkflow, runWorkflow } = await import('../../../dist/index.js');
if (process.argv[2] === 'run') {
  const cwd = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'orchestrate-cold-'));
  const flow = defineWorkflow({ name: 'cold', description: 'one task', phases: [{ id: 'p', name: 'P', tasks: [{ id: 'a', run: () => 1 }] }] });
  const result = await runWorkflow({ workflow: flow, cwd, runtime: { env: {} } });
  rmSync(cwd, { recursive: true, force: true });
  if (result.results.a !== 1) process.exit(1);
}
