import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlan } from '../../src/engine/plan.js';
import { offlineEnv } from '../helpers/workspace.js';
import { expectResumedLikeBaseline } from './checks.js';
import { fakeClaudeFor, integratePlan } from './fake-claude.js';
import { doneTasks, pool, seededTemplate, type RunSnapshot } from './harness.js';
import { baseline, CRASH_POINTS, runScenario, type Scenario, type ScenarioOptions } from './scenarios.js';

/**
 * The same kill-and-resume scenarios on the Anthropic provider: the real SDK in the child talks
 * to a fake Messages API server (one per workspace) that counts requests per task. No task done
 * before the kill gets a request from the resume; every other task is asked again from its
 * start, as many times as in an uninterrupted run. Token counts are left out of the comparison
 * (the fake prompt cache makes them depend on what was cached before the kill).
 */
describe('kill anywhere, resume (Anthropic provider over the fake server)', () => {
  let template: string;
  let plan: RunPlan;
  let expected: RunSnapshot;
  let expectedRequests: Record<string, number>;
  const scenarios = new Map<string, Scenario>();

  beforeAll(async () => {
    template = await seededTemplate();
    plan = await integratePlan(template);
    const options: ScenarioOptions = { template, env: offlineEnv({ NO_COLOR: '1' }), withoutUsage: true, server: (cwd) => fakeClaudeFor(cwd, plan) };
    const clean = await baseline(options);
    expected = clean.snapshot;
    expectedRequests = clean.requests!;
    const results = await pool(2, CRASH_POINTS.map(({ point }) => () => runScenario(point, options)));
    for (const scenario of results) scenarios.set(scenario.point, scenario);
  }, 600_000);

  afterAll(() => rmSync(template, { recursive: true, force: true }));

  it('the uninterrupted run went through the provider: every task asked the server', () => {
    expect(Object.keys(expectedRequests).sort()).toEqual(plan.tasks.map((t) => t.id).sort());
    expect((expected.report as { model: string }).model).toMatch(/^claude-/);
  });

  it.each(CRASH_POINTS)('killed at $point ($what): no request for a done task, the rest asked again from the start', ({ point, what }) => {
    const scenario = scenarios.get(point)!;
    expectResumedLikeBaseline(scenario, expected, what);
    const done = doneTasks(scenario.before);
    const again = Object.fromEntries(plan.tasks.filter((t) => !done.has(t.id)).map((t) => [t.id, expectedRequests[t.id]]));
    expect(scenario.requests!.resume).toEqual(again);
  });
});
