import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { parseWorkflow } from '../../src/run/load-workflow.js';
import { durationToMs } from '../../src/schema/duration.js';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const BAD = `
name: bad-flow
description: every kind of mistake at once
defaults:
  retry: { initialInterval: -500ms }
phases:
  - id: one
    name: One
    tasks:
      - { id: a, agent: research-manager, prompt: go, needs: [c] }
      - { id: a, agent: research-manager, prompt: again }
      - { id: b, agent: research-manager, prompt: go, needs: [ghost], timeout: 5 minutes }
  - id: two
    name: Two
    gate:
      name: tests-pass
      condition: { field: a.failed, equals: 0 }
    tasks:
      - { id: c, agent: research-manager, prompt: go, needs: [a] }
`;

function problemsOf(text: string) {
  try {
    parseWorkflow(text, 'workflows/bad-flow.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.map((p) => `${p.location}: ${p.message}`);
  }
  throw new Error('expected a ValidationError');
}

describe('workflow validation', () => {
  it('reports every problem at once, each with its location', () => {
    const problems = problemsOf(BAD);
    expect(problems).toEqual(expect.arrayContaining([
      'defaults.retry.initialInterval: negative duration "-500ms"; use 0ms or more',
      expect.stringMatching(/^phases\[0\]\.tasks\[2\]\.timeout: unparseable duration "5 minutes"/),
      'phases[0].tasks[1].id: duplicate task id "a"',
      'phases[0].tasks[2].needs: task "b" needs unknown task "ghost"',
      'phases[1].gate.condition.field: gate on "a.failed", but task "a" produces a "summary" result, which has no field "failed"',
      'phases: the tasks form a cycle: a -> c -> a',
    ]));
    expect(problems).toHaveLength(6);
  });

  it('catches a gate on an unknown task, a gate inside its own phase, and a bad retry policy', () => {
    const problems = problemsOf(`
name: gates
description: gates
phases:
  - id: one
    name: One
    tasks:
      - { id: tests, agent: testing-engineer, prompt: test, result: test-results, retry: { maximumAttempts: 0, initialInterval: 2s, maximumInterval: 1s, jitter: 2 } }
  - id: two
    name: Two
    gate: { condition: { all: [ { field: nobody.failed, equals: 0 }, { field: docs.summary, notEquals: "" }, { field: tests.failed, equals: 0, atMost: 1 } ] } }
    tasks:
      - { id: docs, agent: documentation-expert, prompt: docs }
`);
    expect(problems).toEqual(expect.arrayContaining([
      'phases[0].tasks[0].retry.maximumAttempts: maximumAttempts must be at least 1',
      'phases[0].tasks[0].retry.jitter: jitter is a fraction between 0 and 1',
      'phases[0].tasks[0].retry.maximumInterval: maximumInterval (1s) is shorter than initialInterval (2s)',
      'phases[1].gate.condition.all[0].field: gate on "nobody.failed", but no task "nobody" exists',
      expect.stringMatching(/^phases\[1\]\.gate\.condition\.all\[1\]\.field: gate on "docs\.summary", but "docs" is in the phase the gate guards/),
    ]));
    expect(problems.some((p) => p.includes('exactly one of'))).toBe(true);
  });

  it('accepts the gate format on real result fields, and compound durations', () => {
    const workflow = parseWorkflow(`
name: ok
description: ok
failurePolicy: fail-fast
timeout: 1h
budget: { costUsd: 2.5 }
defaults: { retry: { maximumAttempts: 2, initialInterval: 500ms }, timeout: 10m }
phases:
  - { id: one, name: One, tasks: [ { id: tests, agent: testing-engineer, prompt: t, result: test-results, budget: { turns: 20 } } ] }
  - id: two
    name: Two
    budget: { outputTokens: 10000 }
    gate: { name: green, condition: { any: [ { field: tests.ran, equals: false }, { field: tests.failed, equals: 0 } ] } }
    tasks: [ { id: docs, agent: documentation-expert, prompt: d } ]
`, 'ok.yaml');
    expect(workflow.failurePolicy).toBe('fail-fast');
    expect(durationToMs('1m30s')).toBe(90_000);
  });

  it('the CLI exits 2 with every problem and writes nothing', () => {
    const cwd = tempRepo();
    const file = path.join(cwd, 'bad-flow.yaml');
    writeFileSync(file, BAD);
    const { code, stderr } = runCli(['run', file], cwd);
    expect(code).toBe(2);
    for (const part of ['negative duration', 'unparseable duration', 'duplicate task id', 'unknown task "ghost"', 'no field "failed"', 'cycle']) {
      expect(stderr).toContain(part);
    }
    expect(runFolders(cwd)).toEqual([]);
  });
});
