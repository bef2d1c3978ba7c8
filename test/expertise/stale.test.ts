import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNeeding } from '../helpers/needs.js';
import { expertisePath, readExpertise } from '../../src/expertise/load.js';
import { findStaleExpertise } from '../../src/expertise/stale.js';
import { COMPAT_DIR, tempRepo } from '../helpers/workspace.js';

const EXPERTISE = [
  'domain: integrations',
  'version: 1.1',
  'files:',
  '  clients:',
  '    - path: src/clients/',
  '      purpose: clients',
  '    - path: src/gone.ts',
  '  scripts:',
  '    - path: "npm run build"',
  '    - path: "src/**/*.handler.ts"',
  'integrations_catalog:',
  '  payments:',
  '    - name: stripe',
  '      files: [src/stripe/a.ts, src/stripe/b.ts]',
  '    - name: paypal',
  '      files: [src/clients/paypal.ts, src/paypal/gone.ts]',
  '    - name: square',
  '      files: [src/square.ts]',
  '      last_run: run-9',
  'learnings:',
  '  - date: 2026-01-01',
  '    insight: something',
  '    files_affected: [src/clients/paypal.ts, src/old.ts, ../outside.ts]',
  '',
].join('\n');

describe('checking expertise against the repository', () => {
  it('finds every path that is gone, with its location, and skips what is not a path', async () => {
    const cwd = tempRepo({
      'expertise/integrations/expertise.yaml': EXPERTISE,
      'src/clients/paypal.ts': '',
      'src/x/y.handler.ts': '',
      // Staged by a run not applied yet: pending, not stale. The same path in an applied run is stale.
      'pending-commits/run-9/manifest.json': '{"status":"complete"}',
      'pending-commits/run-9/files/node_modules/src/square.ts': '',
      'pending-commits/run-8/manifest.json': '{"status":"applied"}',
      'pending-commits/run-8/files/node_modules/src/gone.ts': '',
    });
    const loaded = (await readExpertise(expertisePath(cwd, 'integrations')))!;
    const findings = await findStaleExpertise(cwd, 'integrations', loaded);
    expect(findings.map((f) => [f.kind, f.path, f.location])).toEqual([
      ['missing-file', 'src/gone.ts', 'files.clients[1].path, line 7, column 13'],
      ['missing-file-affected', 'src/old.ts', 'learnings[0].files_affected[1], line 23, column 45'],
      ['outside-repository', '../outside.ts', 'learnings[0].files_affected[2], line 23, column 57'],
      ['catalog-files-gone', 'src/stripe/a.ts, src/stripe/b.ts', 'integrations_catalog.payments[0].files, line 14, column 14'],
      ['missing-file', 'src/paypal/gone.ts', 'integrations_catalog.payments[1].files, line 16, column 14'],
    ]);
    expect(findings.every((f) => f.file === 'expertise/integrations/expertise.yaml' && f.domain === 'integrations')).toBe(true);
    expect(findings.at(-1)!.message).toBe('catalog entry paypal: 1 of 2 files are gone (src/paypal/gone.ts)');
    expect(findings[3]!.message).toBe('catalog entry stripe: all 2 of its files are gone');
  });

  it('a repository that has every path has no findings', async () => {
    const cwd = tempRepo({ 'README.md': '# r\n', 'expertise/integrations/expertise.yaml': 'domain: integrations\nversion: 1.1\nfiles:\n  a:\n    - path: README.md\n' });
    const loaded = (await readExpertise(expertisePath(cwd, 'integrations')))!;
    expect(await findStaleExpertise(cwd, 'integrations', loaded)).toEqual([]);
  });

  itNeeding(['compat'], 'checks an AgileFlow file as written (its paths belong to AgileFlow, so they are stale here)', async () => {
    const cwd = tempRepo();
    const loaded = (await readExpertise(path.join(COMPAT_DIR, 'agileflow-expertise', 'testing', 'expertise.yaml')))!;
    const findings = await findStaleExpertise(cwd, 'testing', loaded);
    expect(findings.map((f) => f.path)).toContain('scripts/validate-expertise.sh');
    expect(findings.map((f) => f.path)).not.toContain('npm run build');
  });
});
