import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnv } from '../helpers/workspace.js';
import { expectResumedLikeBaseline } from './checks.js';
import { pool, seededTemplate, type RunSnapshot } from './harness.js';
import { baseline, CRASH_POINTS, runScenario, type Scenario } from './scenarios.js';

/**
 * The integrate workflow as a child process, on the offline model, killed with SIGKILL at each
 * crash point and resumed with `orchestrate resume`: each run must end equal to an
 * uninterrupted one, with no done task run again. Two children at a time.
 */
describe('kill anywhere, resume (offline model)', () => {
  const env = offlineEnv({ NO_COLOR: '1' });
  let template: string;
  let expected: RunSnapshot;
  const scenarios = new Map<string, Scenario>();

  beforeAll(async () => {
    template = await seededTemplate();
    expected = (await baseline({ template, env })).snapshot;
    const results = await pool(2, CRASH_POINTS.map(({ point }) => () => runScenario(point, { template, env })));
    for (const scenario of results) scenarios.set(scenario.point, scenario);
  }, 600_000);

  afterAll(() => rmSync(template, { recursive: true, force: true }));

  it('covers at least 20 distinct points over all five phases and the merge', () => {
    expect(new Set(CRASH_POINTS.map((p) => p.point)).size).toBeGreaterThanOrEqual(20);
    const phases = ['research', 'configure', 'persistence', 'review', 'docs', 'expertise'];
    for (const phase of phases) expect(CRASH_POINTS.some((p) => p.point.includes(phase)), phase).toBe(true);
  });

  it('the uninterrupted run reinforces the seeded learnings (so a second merge would show)', () => {
    expect(expected.expertise).toMatch(/seen: 2/);
    expect(expected.expertise).not.toMatch(/seen: 3/);
  });

  it.each(CRASH_POINTS)('killed at $point ($what): resumed equal to an uninterrupted run', ({ point, what }) => {
    expectResumedLikeBaseline(scenarios.get(point)!, expected, what);
  });
});
