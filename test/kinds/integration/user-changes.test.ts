import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRun } from '../../../src/git/apply-run.js';
import { changesSinceApply } from '../../../src/git/changes-since-apply.js';
import { runWorkflow } from '../../../src/index.js';
import { itNeeding } from '../../helpers/needs.js';
import { tempRepo } from '../../helpers/workspace.js';
import { git } from '../../git/run-fixture.js';

describe('what a person changed after an apply is learned, and the next run acts on it', () => {
  itNeeding(['bwrap'], 'a moved integrations folder, a deleted runbook and an edited .env.example: recorded truthfully, then followed', async () => {
    const cwd = tempRepo({ 'README.md': '# shop\n' });
    const first = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, provider: 'offline', approve: 'auto', runtime: { env: {} } });
    expect(first.status).toBe('complete');
    // A reviewer edits the staged guide before applying.
    appendFileSync(path.join(first.runDir, 'files', 'node_modules', 'docs', 'integrations', 'stripe.md'), '\nAsk #payments before changing the retry settings.\n');
    expect((await applyRun({ workspace: cwd, runId: first.runId, env: {} })).outcome).toBe('applied');

    // The person's changes on the branch: the integrations move to lib/, the runbook goes, .env.example gets a line.
    mkdirSync(path.join(cwd, 'lib'));
    git(cwd, 'mv', 'src/integrations', 'lib/integrations');
    git(cwd, 'rm', '-q', 'docs/runbooks/integration-stripe.md');
    git(cwd, 'commit', '-q', '-m', 'move integrations to lib, drop the runbook');
    appendFileSync(path.join(cwd, '.env.example'), 'STRIPE_ACCOUNT_COUNTRY=NL\n');

    const seen = (await changesSinceApply(cwd, 'stripe'))!;
    expect(seen.runId).toBe(first.runId);
    expect(seen.changes).toContainEqual({ kind: 'moved', path: 'src/integrations/clients/StripeClient.ts', to: 'lib/integrations/clients/StripeClient.ts' });
    expect(seen.changes).toContainEqual({ kind: 'deleted', path: 'docs/runbooks/integration-stripe.md' });
    expect(seen.changes).toContainEqual({ kind: 'edited', path: '.env.example' });
    expect(seen.changes.filter((c) => c.kind === 'edited').map((c) => c.path)).toEqual(['.env.example']);
    expect(seen.changes).toContainEqual({ kind: 'edited-before-apply', path: 'docs/integrations/stripe.md' });

    const second = await runWorkflow({ workflow: 'integrate', inputs: { service: 'stripe' }, cwd, provider: 'offline', approve: 'auto', runtime: { env: {} } });
    expect(second.status).toBe('complete');
    // It acted on them: the team's folder, and no runbook written again.
    const paths = second.stagedFiles.map((f) => f.path);
    expect(paths).toContain('lib/integrations/clients/StripeClient.ts');
    expect(paths.filter((p) => p.startsWith('src/integrations/'))).toEqual([]);
    expect(paths).not.toContain('docs/runbooks/integration-stripe.md');
    expect(paths).toContain('docs/integrations/stripe.md');

    // And recorded them, each once, in the expertise: what git showed, not what a template says.
    const expertise = readFileSync(path.join(cwd, 'expertise/integrations/expertise.yaml'), 'utf8');
    expect(expertise).toContain('Stripe integration files live in lib/integrations/');
    expect(expertise).toContain(`A person moved src/integrations/clients/StripeClient.ts to lib/integrations/clients/StripeClient.ts after run ${first.runId} was applied`);
    expect(expertise).toContain(`A person deleted docs/runbooks/integration-stripe.md after run ${first.runId} was applied; later runs do not write it again`);
    expect(expertise).toContain(`A person edited .env.example after run ${first.runId} was applied; later runs merge onto their version`);
    expect(expertise).toContain(`A person edited docs/integrations/stripe.md in run ${first.runId}'s staged files before applying it`);
    expect(expertise).toContain(`(the apply of run ${first.runId}) against the working tree`);
  }, 300_000);

  it('finds nothing outside git, or before any run of the service was applied', async () => {
    const cwd = tempRepo({ 'README.md': '# shop\n' });
    expect(await changesSinceApply(cwd, 'stripe')).toBeUndefined();
  });
});
