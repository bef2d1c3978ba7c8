import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineWorkflow, runWorkflow, type PreparedRun } from '../../src/index.js';
import { tempRepo } from '../helpers/workspace.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** An empty folder that is not a repository. */
function emptyDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'orchestrate-ephemeral-'));
  dirs.push(dir);
  return dir;
}

/** Every entry under `dir` with its size and modification time. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      const info = statSync(full);
      out.push(`${path.relative(dir, full)} ${info.size} ${info.mtimeMs}`);
      if (info.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

const sum = defineWorkflow({
  name: 'sum',
  description: 'add two numbers',
  inputs: { start: { type: 'number', default: 1 } },
  phases: [
    { id: 'read', name: 'Read', tasks: [{ id: 'a', run: ({ inputs }) => inputs.start as number }, { id: 'b', run: () => 3 }] },
    { id: 'add', name: 'Add', tasks: [{ id: 'total', run: ({ needs }) => (needs.a as number) + (needs.b as number) }] },
  ],
});

describe('ephemeral runs (persist: false)', () => {
  it('write nothing, in the workspace or anywhere under it, and still return the results', async () => {
    const cwd = emptyDir();
    const before = snapshot(cwd);
    const events: string[] = [];
    const result = await runWorkflow({ workflow: sum, cwd, persist: false, runtime: { env: {} }, onEvent: (event) => events.push(event.type) });
    expect(result.status).toBe('complete');
    expect(result.results).toEqual({ a: 1, b: 3, total: 4 });
    expect(events).toContain('run-end');
    expect(snapshot(cwd)).toEqual(before);
    expect(before).toEqual([]);
    // The same run persisted writes its folder: the check above can fail.
    await runWorkflow({ workflow: sum, cwd, runtime: { env: {} } });
    expect(snapshot(cwd).some((entry) => entry.startsWith('pending-commits'))).toBe(true);
  });

  it('are refused, before anything is written, for a workflow with agent tasks', async () => {
    const cwd = tempRepo();
    const before = snapshot(cwd);
    const flow = defineWorkflow({
      name: 'mixed',
      description: 'an agent task needs the run folder',
      phases: [{ id: 'p', name: 'P', tasks: [{ id: 'code', run: () => 1 }, { id: 'write', agent: 'documentation-expert', prompt: 'Write notes' }] }],
    });
    await expect(runWorkflow({ workflow: flow, cwd, persist: false, runtime: { env: {} } })).rejects.toMatchObject({ code: 'EPHEMERAL_NEEDS_FOLDER', message: expect.stringContaining('write') });
    expect(snapshot(cwd)).toEqual(before);
  });
});

describe('plans are reused across calls', () => {
  it('the same defined workflow with the same inputs is planned once; other inputs get their own plan', async () => {
    const cwd = emptyDir();
    const plans: PreparedRun['plan'][] = [];
    const onPrepared = (prepared: PreparedRun) => plans.push(prepared.plan);
    const first = await runWorkflow({ workflow: sum, cwd, persist: false, runtime: { env: {} }, onPrepared });
    const second = await runWorkflow({ workflow: sum, cwd, persist: false, runtime: { env: {} }, onPrepared });
    const other = await runWorkflow({ workflow: sum, cwd, persist: false, inputs: { start: 5 }, runtime: { env: {} }, onPrepared });
    expect(plans[1]).toBe(plans[0]);
    expect(plans[2]).not.toBe(plans[0]);
    expect(plans[2]!.inputs).toEqual({ start: 5 });
    expect([first.results.total, second.results.total, other.results.total]).toEqual([4, 4, 8]);
    // A run budget given in options is applied to a copy: the cached plan is not changed.
    await runWorkflow({ workflow: sum, cwd, persist: false, budget: { turns: 5 }, runtime: { env: {} }, onPrepared });
    expect(plans[3]!.budget).toMatchObject({ turns: 5 });
    expect(plans[0]!.budget?.turns).toBeUndefined();
  });
});

describe('names and ids in the usual identifier styles', () => {
  it('takes fetch_data, myFlow and FetchAll for workflows, phases and tasks, in needs, templates and gates', async () => {
    const flow = defineWorkflow({
      name: 'myFlow',
      description: 'identifier styles',
      phases: [
        { id: 'load_all', name: 'Load', tasks: [{ id: 'fetch_data', run: () => ({ count: 2 }) }, { id: 'parseData', needs: ['fetch_data'], run: ({ needs }) => (needs.fetch_data as { count: number }).count * 10 }] },
        { id: 'FetchAll', name: 'Use', gate: { condition: { field: 'fetch_data.count', atLeast: 1 } }, tasks: [{ id: 'use-it', run: ({ needs }) => needs.parseData }] },
      ],
    });
    const result = await runWorkflow({ workflow: flow, cwd: emptyDir(), persist: false, runtime: { env: {} } });
    expect(result.status).toBe('complete');
    expect(result.results).toEqual({ fetch_data: { count: 2 }, parseData: 20, 'use-it': 20 });
    expect(() => defineWorkflow({ name: '-bad', description: 'x', phases: [{ id: 'p', name: 'P', tasks: [{ id: 'a b', run: () => 1 }] }] })).toThrow(/letters, digits, dashes and underscores/);
  });
});
