import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNeeding } from '../helpers/needs.js';
import { parse } from 'yaml';
import { expertisePath } from '../../src/expertise/load.js';
import type { ExpertiseUpdate } from '../../src/expertise/merge.js';
import { mergeExpertise } from '../../src/expertise/store.js';
import { COMPAT_DIR, REPO_ROOT, tempRepo, writeTree } from '../helpers/workspace.js';

const AGILEFLOW = path.join(COMPAT_DIR, 'agileflow-expertise');
/** Every domain of the corpus (devops and performance among them), read at test time. */
const DOMAINS = (() => {
  try {
    return readdirSync(AGILEFLOW, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return ['(corpus missing)'];
  }
})();

const update = (overrides: Partial<ExpertiseUpdate> = {}): ExpertiseUpdate => ({
  runId: 'run-1',
  date: '2026-01-02',
  service: 'twilio',
  catalog: { category: 'communication', entry: { name: 'twilio', env_vars: ['TWILIO_AUTH_TOKEN'], webhooks: true } },
  learnings: [{ insight: 'Twilio signs the full URL plus sorted POST params.', files_affected: [], agent: 'research-manager', task: 'research' }],
  ...overrides,
});

/** A workspace holding a copy of an AgileFlow file as its `<domain>` expertise (copied at test time only). */
function workspaceWith(domain: string): { cwd: string; file: string; original: string } {
  const cwd = tempRepo();
  const file = expertisePath(cwd, domain);
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(path.join(AGILEFLOW, domain, 'expertise.yaml'), file);
  return { cwd, file, original: readFileSync(file, 'utf8') };
}

describeNeeding(['compat'], 'merging into AgileFlow expertise files', () => {
  it.each(DOMAINS)('improves %s without losing a line a person wrote', async (domain) => {
    const { cwd, file, original } = workspaceWith(domain);
    const result = await mergeExpertise(cwd, REPO_ROOT, domain, update());
    expect(result).toMatchObject({ catalog: 'added', learningsAdded: 1, archived: 0 });
    const merged = readFileSync(file, 'utf8');

    // Every original line is still there, in order, except last_updated: only insertions.
    const mergedLines = merged.split('\n');
    let cursor = 0;
    for (const line of original.split('\n')) {
      if (line.startsWith('last_updated:')) continue;
      const found = mergedLines.indexOf(line, cursor);
      expect(found, `line lost or moved: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(cursor);
      cursor = found + 1;
    }
    expect(merged).toMatch(/^last_updated: 2026-01-02$/m);

    // The data is the original plus the update.
    const before = parse(original);
    const after = parse(merged);
    expect(after.learnings.slice(0, before.learnings.length)).toEqual(before.learnings);
    // Under the key the file's authors use (performance writes `learning:`).
    const key = 'insight' in before.learnings.at(-1) ? 'insight' : 'learning';
    expect(after.learnings.at(-1)).toMatchObject({ [key]: update().learnings[0]!.insight, service: 'twilio', run_id: 'run-1', agent: 'research-manager', task: 'research', seen: 1 });
    const { last_updated: _a, learnings: _b, integrations_catalog: _c, ...rest } = after;
    const { last_updated: _d, learnings: _e, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(after.integrations_catalog.communication).toEqual([{ name: 'twilio', env_vars: ['TWILIO_AUTH_TOKEN'], webhooks: true }]);
    // A new catalog goes before the learnings, which AgileFlow keeps last.
    expect(Object.keys(after).slice(-2)).toEqual(['integrations_catalog', 'learnings']);
  });

  it('updates a catalog entry in place: no duplicate, person-added fields and list items kept', async () => {
    const cwd = tempRepo({
      'expertise/integrations/expertise.yaml': [
        '# hand-written header',
        'domain: integrations',
        'version: 1.1',
        'integrations_catalog:',
        '  messaging:   # filed by a person under their own category',
        '    - name: Twilio',
        '      env_vars: [TWILIO_ACCOUNT_SID, TWILIO_REGION]',
        '      owner: team-comms  # person-added',
        'learnings: []',
        '',
      ].join('\n'),
    });
    const result = await mergeExpertise(cwd, REPO_ROOT, 'integrations', update({ catalog: { category: 'communication', entry: { name: 'twilio', env_vars: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'], webhooks: true } } }));
    expect(result.catalog).toBe('updated');
    const text = readFileSync(expertisePath(cwd, 'integrations'), 'utf8');
    expect(text).toContain('# hand-written header');
    // Comments are kept. The yaml library prints a trailing comment after one space, and the one
    // after `messaging:` on its own line: it does that on any round trip, untouched or not.
    expect(text).toContain('owner: team-comms # person-added');
    expect(text).toContain('# filed by a person under their own category');
    expect(text).toContain('env_vars: [TWILIO_ACCOUNT_SID, TWILIO_REGION, TWILIO_AUTH_TOKEN]');
    const data = parse(text);
    expect(data.integrations_catalog).toEqual({
      messaging: [{ name: 'Twilio', env_vars: ['TWILIO_ACCOUNT_SID', 'TWILIO_REGION', 'TWILIO_AUTH_TOKEN'], owner: 'team-comms', webhooks: true }],
    });
    expect(result.changes).toContainEqual(expect.objectContaining({ kind: 'catalog-field', field: 'env_vars', before: ['TWILIO_ACCOUNT_SID', 'TWILIO_REGION'] }));
  });

  it('a learning equal after normalising case, whitespace and punctuation raises seen and date', async () => {
    const cwd = tempRepo();
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', update());
    const again = await mergeExpertise(cwd, REPO_ROOT, 'integrations', update({
      runId: 'run-2',
      date: '2026-02-03',
      learnings: [{ insight: '  twilio SIGNS the full URL, plus sorted POST params!! ', files_affected: [], agent: 'a', task: 't' }],
    }));
    expect(again).toMatchObject({ learningsAdded: 0, learningsReinforced: 1, catalog: 'unchanged' });
    const data = parse(readFileSync(expertisePath(cwd, 'integrations'), 'utf8'));
    expect(data.learnings).toHaveLength(1);
    expect(data.learnings[0]).toMatchObject({ seen: 2, date: '2026-02-03', run_id: 'run-1' });
    expect(data.integrations_catalog.communication).toHaveLength(1);
  });

  it('the same words about another service are a different learning', async () => {
    const cwd = tempRepo();
    const words = [{ insight: 'Webhooks retry for 3 days.', files_affected: [], agent: 'a', task: 't' }];
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', update({ learnings: words }));
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', update({ service: 'stripe', catalog: undefined, learnings: words }));
    const data = parse(readFileSync(expertisePath(cwd, 'integrations'), 'utf8'));
    expect(data.learnings.map((l: { service: string }) => l.service)).toEqual(['twilio', 'stripe']);
  });

  it('a workspace without expertise starts from the package seed, its comments kept', async () => {
    const cwd = tempRepo();
    await mergeExpertise(cwd, REPO_ROOT, 'integrations', update());
    const text = readFileSync(expertisePath(cwd, 'integrations'), 'utf8');
    expect(text).toContain('# Integrations expertise: the team');
    expect(parse(text).conventions.length).toBeGreaterThan(3);
  });

  it('bad expertise is refused with its location and the file is not overwritten', async () => {
    const cwd = tempRepo();
    const bad = 'domain: integrations\nversion: 1.1\nlearnings:\n  - date: 2026-01-01\n    insight: 12\n';
    writeTree(cwd, { 'expertise/integrations/expertise.yaml': bad });
    await expect(mergeExpertise(cwd, REPO_ROOT, 'integrations', update())).rejects.toThrow(/expertise\.yaml \(learnings\[0\]\.insight, line 5, column 14\)/);
    expect(readFileSync(expertisePath(cwd, 'integrations'), 'utf8')).toBe(bad);
  });
});
