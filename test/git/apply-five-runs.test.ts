import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findService } from '../../src/kinds/integration/catalog/catalog.js';
import { applyRun } from '../../src/git/apply-run.js';
import { runWorkflow } from '../../src/index.js';
import { NO_BASH_TESTER } from '../durability/harness.js';
import { tempRepo } from '../helpers/workspace.js';
import { git, statusLines } from './run-fixture.js';

const SERVICES = ['twilio', 'stripe', 'paypal', 'discord', 'postgresql'];
const PERSON_ENV = '# Our own settings\nAPP_PORT=3000\nLOG_LEVEL=info\n';

describe('orchestrate apply, five integrations from one base', () => {
  it('applied in sequence and merged back, keeps every variable, table and doc, and the lines a person added', async () => {
    const repo = tempRepo({
      'README.md': '# shop\n',
      '.env.example': PERSON_ENV,
      'docs/integrations/README.md': '# Integrations\n\nOur payment provider notes live in the wiki.\n\n',
      'agents/testing-engineer.md': NO_BASH_TESTER,
    });
    const base = git(repo, 'rev-parse', 'HEAD');
    const runs: Record<string, string> = {};
    for (const service of SERVICES) {
      const result = await runWorkflow({ workflow: 'integrate', inputs: { service }, cwd: repo, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(result.status, service).toBe('complete');
      runs[service] = result.runId;
    }
    const manifest = (service: string) => JSON.parse(readFileSync(path.join(repo, 'pending-commits', runs[service]!, 'manifest.json'), 'utf8'));
    expect(SERVICES.map((s) => manifest(s).base)).toEqual(SERVICES.map(() => ({ commit: base, branch: 'main' })));

    const actions: Record<string, Record<string, string>> = {};
    for (const [i, service] of SERVICES.entries()) {
      if (i === 2) {
        // A person changes a shared file on main between two applies: the next merge keeps it.
        writeFileSync(path.join(repo, '.env.example'), readFileSync(path.join(repo, '.env.example'), 'utf8').replace('LOG_LEVEL=info\n', 'LOG_LEVEL=info\nFEATURE_FLAGS=checkout-v2\n'));
        git(repo, 'commit', '-q', '-am', 'a person adds a flag');
      }
      const result = await applyRun({ workspace: repo, runId: runs[service]!, env: {} });
      expect(result).toMatchObject({ outcome: 'applied', branch: `integration/${service}`, createdBranch: true, startedFrom: 'main' });
      actions[service] = Object.fromEntries(result.changes.map((c) => [c.path, c.action]));
      git(repo, 'switch', '-q', 'main');
      git(repo, 'merge', '-q', '--no-edit', `integration/${service}`);
    }

    // The first run adds its section to the person's file as it was; later ones merge.
    expect(actions.twilio!['.env.example']).toBe('modify');
    for (const service of SERVICES.slice(1)) expect(actions[service]!['.env.example'], service).toBe('merge');
    // Shared tables are files of their own: a second writer stages the same text, one without OAuth none.
    expect(actions.paypal!['src/integrations/persistence/tables/oauth_tokens.sql']).toBe('add');
    expect(actions.discord!['src/integrations/persistence/tables/oauth_tokens.sql']).toBeUndefined();
    expect(actions.stripe!['src/integrations/persistence/tables/webhook_deliveries.sql']).toBe('unchanged');
    expect(actions.stripe!['docs/integrations/README.md']).toBe('merge');

    const env = readFileSync(path.join(repo, '.env.example'), 'utf8');
    expect(env.startsWith(PERSON_ENV.replace('LOG_LEVEL=info\n', 'LOG_LEVEL=info\nFEATURE_FLAGS=checkout-v2\n'))).toBe(true);
    const index = readFileSync(path.join(repo, 'docs/integrations/README.md'), 'utf8');
    expect(index).toContain('Our payment provider notes live in the wiki.');
    for (const id of SERVICES) {
      const service = findService(id)!;
      for (const variable of service.envVars) expect(env, `${id}: ${variable.name}`).toMatch(new RegExp(`^${variable.name}=`, 'm'));
      expect(existsSync(path.join(repo, 'docs/integrations', `${id}.md`)), id).toBe(true);
      expect(existsSync(path.join(repo, 'docs/runbooks', `integration-${id}.md`)), id).toBe(true);
      expect(index, id).toContain(`- [${service.name}](${id}.md)`);
    }
    for (const table of ['webhook_deliveries', 'integration_events', 'oauth_tokens']) {
      expect(readFileSync(path.join(repo, 'src/integrations/persistence/tables', `${table}.sql`), 'utf8')).toContain(`CREATE TABLE IF NOT EXISTS ${table}`);
    }
    // Each variable once: no section was added twice.
    const names = env.split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split('=')[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(statusLines(repo).filter((l) => !l.includes('agents/'))).toEqual([]);
  });

  it('applied each on its own branch with no merge in between, then all five merged with git merge: no conflict, nothing lost', async () => {
    const repo = tempRepo({
      'README.md': '# shop\n',
      '.env.example': PERSON_ENV,
      'docs/integrations/README.md': '# Integrations\n\nOur payment provider notes live in the wiki.\n\n',
      'agents/testing-engineer.md': NO_BASH_TESTER,
    });
    const runs: Record<string, string> = {};
    for (const service of SERVICES) {
      const result = await runWorkflow({ workflow: 'integrate', inputs: { service }, cwd: repo, provider: 'offline', approve: 'auto', runtime: { env: {} } });
      expect(result.status, service).toBe('complete');
      runs[service] = result.runId;
    }
    // Each apply starts its branch at main, wherever the previous apply left HEAD.
    for (const service of SERVICES) {
      const result = await applyRun({ workspace: repo, runId: runs[service]!, env: {} });
      expect(result).toMatchObject({ outcome: 'applied', branch: `integration/${service}`, createdBranch: true, startedFrom: 'main' });
      expect(git(repo, 'show', `integration/${service}:.gitattributes`)).toBe('/.env.example merge=union\n/docs/integrations/README.md merge=union');
    }
    git(repo, 'switch', '-q', 'main');
    // One octopus-free merge after another, as a team merges pull requests: git's union driver
    // (from the .gitattributes apply committed) keeps both sides of the lists at the end of file.
    for (const service of SERVICES) git(repo, 'merge', '-q', '--no-edit', `integration/${service}`);
    expect(git(repo, 'diff', '--name-only', '--diff-filter=U')).toBe('');

    const env = readFileSync(path.join(repo, '.env.example'), 'utf8');
    expect(env.startsWith(PERSON_ENV)).toBe(true);
    const index = readFileSync(path.join(repo, 'docs/integrations/README.md'), 'utf8');
    expect(index.startsWith('# Integrations\n\nOur payment provider notes live in the wiki.\n')).toBe(true);
    for (const id of SERVICES) {
      const service = findService(id)!;
      for (const variable of service.envVars) expect(env.match(new RegExp(`^${variable.name}=`, 'gm')), `${id}: ${variable.name}`).toHaveLength(1);
      expect(existsSync(path.join(repo, 'docs/integrations', `${id}.md`)), id).toBe(true);
      expect(existsSync(path.join(repo, 'docs/runbooks', `integration-${id}.md`)), id).toBe(true);
      expect(index.match(new RegExp(`^- \\[${service.name}\\]\\(${id}\\.md\\)`, 'gm')), id).toHaveLength(1);
      expect(env, id).toContain(`# ${service.name} (generated by orchestrate`);
    }
    for (const table of ['webhook_deliveries', 'integration_events', 'oauth_tokens']) {
      expect(readFileSync(path.join(repo, 'src/integrations/persistence/tables', `${table}.sql`), 'utf8')).toContain(`CREATE TABLE IF NOT EXISTS ${table}`);
    }
    expect(statusLines(repo).filter((l) => !l.includes('agents/'))).toEqual([]);
  });
});
