import { describe, expect, it } from 'vitest';
import { prepareKind } from '../../src/kinds/registry.js';
import { commitMessage, withRunTrailer } from '../../src/staging/commit-message.js';

const file = (path: string, phase: string, agent: string) => ({ path, sha256: 'x', size: 1, phase, task: 't', agent });

describe('commitMessage', () => {
  it('has a conventional subject, the files by phase and agent, deletions marked, and the run trailer', () => {
    const message = commitMessage(
      'feat(integrations): add twilio integration',
      'integrate',
      'run-1',
      [file('src/a.ts', 'implementation', 'integration-specialist'), file('docs/a.md', 'documentation', 'documentation-expert'), file('src/b.ts', 'implementation', 'integration-specialist')],
      [{ path: 'src/old.ts', phase: 'implementation', task: 't', agent: 'integration-specialist' }],
    );
    expect(message).toBe(
      'feat(integrations): add twilio integration\n\n' +
        'implementation (integration-specialist):\n  - src/a.ts\n  - src/b.ts\n  - src/old.ts (deleted)\n\n' +
        'documentation (documentation-expert):\n  - docs/a.md\n\n' +
        'Staged by orchestrate run run-1 (workflow integrate).\n\nOrchestrate-Run: run-1\n',
    );
  });

  it('groups follow the phase order of the workflow, not the order of the paths', () => {
    const message = commitMessage(
      'feat(integrations): add twilio integration',
      'integrate',
      'run-1',
      [file('.env.example', 'configuration', 'integration-specialist'), file('docs/a.md', 'documentation', 'documentation-expert'), file('src/a.ts', 'implementation', 'integration-specialist')],
      [],
      ['configuration', 'implementation', 'documentation'],
    );
    const headings = message.split('\n').filter((line) => line.endsWith('):'));
    expect(headings).toEqual(['configuration (integration-specialist):', 'implementation (integration-specialist):', 'documentation (documentation-expert):']);
  });

  it('says what each integration workflow did, by the canonical service id; a workflow without a kind gets a chore subject', async () => {
    const subject = async (workflow: string, kind: string | undefined = 'integration', inputs: Record<string, unknown> = { service: 'Stripe' }) =>
      (await prepareKind(kind, inputs, { offline: true })).commitSubject({ workflow, runId: 'r', files: [], deletions: [] });
    expect(await subject('integrate')).toBe('feat(integrations): add stripe integration');
    expect(await subject('remove-integration')).toBe('refactor(integrations): remove stripe integration');
    expect(await subject('update-integration')).toBe('refactor(integrations): update stripe integration');
    expect(await subject('test-integration')).toBe('test(integrations): test stripe integration');
    expect(await subject('integrate', 'integration', { service: 'postgres' })).toBe('feat(integrations): add postgresql integration');
    expect(await subject('my-flow', undefined, {})).toBe('chore(my-flow): apply run r');
  });

  it('adds the trailer to a reviewed message only when it is missing', () => {
    expect(withRunTrailer('fix: edited by hand\n\nbody\n', 'r')).toBe('fix: edited by hand\n\nbody\n\nOrchestrate-Run: r\n');
    expect(withRunTrailer('fix: x\n\nOrchestrate-Run: r\n\n', 'r')).toBe('fix: x\n\nOrchestrate-Run: r\n');
  });
});
