import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { plainWorkflow } from '../../src/schema/plain-workflow.js';
import { Workflow } from '../../src/schema/workflow.js';

// The hand-written check must never accept what zod rejects, and must return what zod returns
// (same values, same keys in the same order, a key given as undefined kept).
const task = (id: string, extra: Record<string, unknown> = {}) => ({ id, function: id, ...extra });
const base = (tasks: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'flow', description: 'd', phases: [{ id: 'p', name: 'P', tasks }], ...extra });

const accepted: Array<[string, unknown]> = [
  ['function tasks', base([task('a'), task('b', { needs: ['a'] })])],
  ['keys given as undefined', base([{ function: 'a', id: 'a', needs: undefined, name: undefined, result: undefined }])],
  ['agent tasks and names, keys in any order', base([{ prompt: 'do it', agent: 'x', id: 'a_b', name: '' }, { result: 'summary', id: 'cD', function: 'cD', needs: [] }])],
  ['fail-fast', base([task('a')], { failurePolicy: 'fail-fast' })],
  ['failurePolicy undefined', base([task('a')], { failurePolicy: undefined })],
  ['two phases', { name: 'f', description: 'd', phases: [{ id: 'one', name: 'One', tasks: [task('a')] }, { id: 'two', name: 'Two', tasks: [task('b')] }] }],
];

const declined: Array<[string, unknown]> = [
  ['a bad task id', base([task('-a')])],
  ['an unknown key', base([task('a', { colour: 'red' })])],
  ['an empty agent', base([{ id: 'a', agent: '', prompt: 'x' }])],
  ['a number name', base([task('a', { name: 3 })])],
  ['a need that is not an id', base([task('a'), task('b', { needs: ['a', 3] })])],
  ['a hole in needs', base([task('a'), task('b', { needs: [, 'a'] })])],
  ['a missing need', base([task('a', { needs: ['nope'] })])],
  ['a duplicate id', base([task('a'), task('a')])],
  ['a cycle', base([task('a', { needs: ['b'] }), task('b', { needs: ['a'] })])],
  ['an unknown result schema', base([task('a', { result: 'no-such-schema' })])],
  ['no tasks', base([])],
  ['no phases', { name: 'f', description: 'd', phases: [] }],
  ['an empty description', { ...base([task('a')]), description: '' }],
  ['a bad failure policy', base([task('a')], { failurePolicy: 'stop' })],
  ['a task without function or agent', base([{ id: 'a' }])],
  ['a class instance', base([Object.assign(new (class T {})(), task('a'))])],
  // Accepted by zod, but not the common shape: left to zod.
  ['a timeout', base([task('a', { timeout: '1s' })])],
  ['inputs', base([task('a')], { inputs: {} })],
  ['a gate', { name: 'f', description: 'd', phases: [{ id: 'p', name: 'P', gate: { condition: { field: 'a.x', equals: 1 } }, tasks: [task('a')] }] }],
];

describe('plainWorkflow: the hand-written check of a code workflow', () => {
  it.each(accepted)('returns what zod returns: %s', (_, value) => {
    const parsed = Workflow.safeParse(value);
    expect(parsed.success).toBe(true);
    const plain = plainWorkflow(value);
    expect(plain).toBeDefined();
    expect(isDeepStrictEqual(plain, parsed.data)).toBe(true);
    expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed.data));
    const keys = (v: unknown): unknown => (Array.isArray(v) ? v.map(keys) : v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => [k, keys(x)]) : v);
    expect(keys(plain)).toEqual(keys(parsed.data));
  });

  it.each(declined)('leaves it to zod: %s', (_, value) => {
    expect(plainWorkflow(value)).toBeUndefined();
  });

  it('copies what it returns: changing the definition afterwards changes nothing', () => {
    const needs = ['a'];
    const value = base([task('a'), task('b', { needs })]);
    const plain = plainWorkflow(value)!;
    needs.push('zzz');
    expect(plain.phases[0]!.tasks[1]!.needs).toEqual(['a']);
  });
});
