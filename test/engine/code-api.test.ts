import { describe, expect, it } from 'vitest';
import { defineWorkflow, runWorkflow, systemClock, ValidationError, type Clock, type WorkflowDefinition } from '../../src/index.js';
import { tempRepo } from '../helpers/workspace.js';

const run = (definition: WorkflowDefinition, options: { concurrency?: number } = {}) =>
  runWorkflow({ workflow: defineWorkflow(definition), cwd: tempRepo(), runtime: { env: {} }, ...options });

describe('runWorkflow from code: what a caller expects', () => {
  it('returns each done task\'s result by id', async () => {
    const result = await run({
      name: 'sum',
      description: 'add two numbers',
      phases: [
        { id: 'read', name: 'Read', tasks: [{ id: 'a', run: () => 2 }, { id: 'b', run: async () => ({ value: 3 }) }] },
        { id: 'add', name: 'Add', tasks: [{ id: 'total', run: ({ needs }) => (needs.a as number) + (needs.b as { value: number }).value }] },
      ],
    });
    expect(result.status).toBe('complete');
    expect(result.results).toEqual({ a: 2, b: { value: 3 }, total: 5 });
  });

  it('takes concurrency: Infinity (no limit): every independent task runs at once', async () => {
    let running = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tasks = Array.from({ length: 20 }, (_, i) => ({
      id: `t${i}`,
      run: async () => {
        most = Math.max(most, ++running);
        if (running === 20) release();
        await gate;
        running--;
        return i;
      },
    }));
    const result = await run({ name: 'wide', description: 'twenty at once', phases: [{ id: 'all', name: 'All', tasks }] }, { concurrency: Infinity });
    expect(result.status).toBe('complete');
    expect(most).toBe(20);
    await expect(run({ name: 'bad', description: 'x', phases: [{ id: 'p', name: 'P', tasks: [{ id: 'a', run: () => 1 }] }] }, { concurrency: 0 })).rejects.toMatchObject({ code: 'BAD_CONCURRENCY' });
  });

  it('a result that is not plain JSON (BigInt, circular, Map) fails that task with RESULT_NOT_JSON; the run settles', async () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const result = await run({
      name: 'not-json',
      description: 'results JSON cannot hold',
      phases: [
        {
          id: 'p',
          name: 'P',
          tasks: [
            { id: 'big', run: () => ({ total: 10n }) },
            { id: 'loop', run: () => circular },
            { id: 'map', run: () => new Map([['a', 1]]) },
            { id: 'fine', run: () => ({ ok: [1, 'two', null] }) },
          ],
        },
      ],
    });
    expect(result.status).toBe('failed');
    const byId = Object.fromEntries(result.report.tasks.map((t) => [t.id, t]));
    expect(byId.big).toMatchObject({ status: 'failed', error: { code: 'RESULT_NOT_JSON', message: expect.stringContaining('total is a BigInt') } });
    expect(byId.loop).toMatchObject({ status: 'failed', error: { code: 'RESULT_NOT_JSON', message: expect.stringContaining('circular') } });
    expect(byId.map).toMatchObject({ status: 'failed', error: { code: 'RESULT_NOT_JSON', message: expect.stringContaining('Map') } });
    expect(byId.fine).toMatchObject({ status: 'done' });
    expect(result.results).toEqual({ fine: { ok: [1, 'two', null] } });
  });

  it('a task list at the top, without phases, is a validation error saying what to write', () => {
    const definition = { name: 'flat', description: 'no phases', tasks: [{ id: 'a', run: () => 1 }] } as unknown as WorkflowDefinition;
    expect(() => defineWorkflow(definition)).toThrow(ValidationError);
    expect(() => defineWorkflow(definition)).toThrow(/tasks belong in a phase/);
  });

  it('exports the Clock type and the system clock', async () => {
    const clock: Clock = systemClock;
    expect(typeof clock.now()).toBe('number');
    await clock.sleep(0);
  });
});
