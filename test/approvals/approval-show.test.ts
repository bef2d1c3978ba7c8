import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempRepo } from '../helpers/workspace.js';

const flow = (show: string) => `name: gated
description: a plan, approved, then built
phases:
  - id: plan
    name: Plan
    approval: { message: Approve the plan, show: ${show} }
    tasks:
      - { id: plan, agent: research-manager, prompt: "Write notes/plan.md with the steps." }
  - id: build
    name: Build
    tasks:
      - { id: build, agent: integration-specialist, prompt: "Build it." }
`;

describe("validate checks what an approval gate shows (show:)", () => {
  it('a note a task is asked to write is valid', () => {
    const cwd = tempRepo({ 'workflows/gated.yaml': flow('notes/plan.md') });
    const result = runCli(['validate', 'workflows/gated.yaml'], cwd);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it.each([
    ['notes/missing.md', /approval shows "notes\/missing\.md", but no task up to this phase is asked to write it/],
    ['../../etc/passwd', /approval shows "\.\.\/\.\.\/etc\/passwd", which is not a path inside the run/],
    ['notes/deep/plan.md', /approval shows "notes\/deep\/plan\.md"; a note is notes\/<name>\.md/],
  ])('show: %s is an error naming it (exit 2)', (show, message) => {
    const cwd = tempRepo({ 'workflows/gated.yaml': flow(show) });
    const result = runCli(['validate', 'workflows/gated.yaml'], cwd);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).toMatch(/phases\[0\]\.approval\.show|phases\.0\.approval\.show/);
  });
});
