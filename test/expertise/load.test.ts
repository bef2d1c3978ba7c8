import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNeeding } from '../helpers/needs.js';
import { ValidationError } from '../../src/errors.js';
import { checkExpertise, readExpertise } from '../../src/expertise/load.js';
import { COMPAT_DIR, tempRepo, writeTree } from '../helpers/workspace.js';

const AGILEFLOW = path.join(COMPAT_DIR, 'agileflow-expertise');
/** Every domain of the corpus (devops and performance among them), read at test time. */
const DOMAINS = (() => {
  try {
    return readdirSync(AGILEFLOW, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return ['(corpus missing)'];
  }
})();

function problemsOf(text: string) {
  const check = checkExpertise(text, 'expertise.yaml');
  if (check.ok) throw new Error('expected problems');
  return check.problems;
}

describeNeeding(['compat'], 'loading AgileFlow expertise files', () => {
  it.each(DOMAINS)('loads AgileFlow %s expertise unchanged, unknown keys kept', async (domain) => {
    const loaded = await readExpertise(path.join(AGILEFLOW, domain, 'expertise.yaml'));
    expect(loaded?.data.domain).toBe(domain);
    expect(loaded?.data.version).toBeDefined();
    expect(loaded?.data.learnings?.length).toBeGreaterThan(0);
    for (const learning of loaded?.data.learnings ?? []) expect(learning.insight.length).toBeGreaterThan(0);
  });

  it('reads version as the content revision it is (devops is at 1.2), and learnings written as learning:', async () => {
    expect(DOMAINS).toEqual(expect.arrayContaining(['devops', 'performance']));
    const devops = await readExpertise(path.join(AGILEFLOW, 'devops', 'expertise.yaml'));
    expect(devops?.data.version).toBe(1.2);
    const performance = await readExpertise(path.join(AGILEFLOW, 'performance', 'expertise.yaml'));
    const written = (performance?.data.learnings ?? []).filter((l) => (l as Record<string, unknown>).learning !== undefined);
    expect(written.length).toBeGreaterThan(0);
    for (const learning of written) expect(learning.insight).toBe((learning as Record<string, unknown>).learning);
  });

  it('keeps keys beyond the documented schema (testing learnings carry `source`)', async () => {
    const loaded = await readExpertise(path.join(AGILEFLOW, 'testing', 'expertise.yaml'));
    expect(loaded?.data.learnings?.[0]).toMatchObject({ source: 'scripts/, packages/cli/package.json' });
  });

});

describe('loading expertise', () => {
  it('a YAML syntax error names the line and column', () => {
    const [problem, ...rest] = problemsOf('domain: x\nversion: 1.1\nlearnings:\n  - date: 2026-01-01\n    insight: [unclosed\n');
    expect(rest).toEqual([]);
    expect(problem!.location).toMatch(/^line \d+, column \d+$/);
  });

  it('wrong types name the path, line and column of each problem, all at once', () => {
    const problems = problemsOf('domain: x\nversion: 1.1\nlearnings:\n  - date: 2026-01-01\n    insight: 42\n  - date: 2026-01-02\n    insight: fine\n    seen: many\n');
    expect(problems.map((p) => p.location)).toEqual(['learnings[0].insight, line 5, column 14', 'learnings[1].seen, line 8, column 11']);
  });

  it('a missing required key points at its parent', () => {
    const problems = problemsOf('domain: x\nversion: 1.1\nlearnings:\n  - date: 2026-01-01\n');
    expect(problems).toEqual([expect.objectContaining({ location: 'learnings[0].insight, line 4, column 5' })]);
  });

  it('any version is content (1.4 loads); an unknown orchestrate_format is reported with its line and column, together with type problems', () => {
    expect(checkExpertise('domain: x\nversion: 1.4\nlearnings:\n  - date: 2026-01-01\n    learning: written as AgileFlow does\n', 'e.yaml').ok).toBe(true);
    expect(problemsOf('domain: x\nversion: 1.4\nlearnings:\n  - date: 2026-01-01\n    context: no text\n')[0]?.message).toMatch(/a learning needs its text, as insight: or learning:/);
    const problems = problemsOf('domain: x\nversion: 7\norchestrate_format: 2\nintegrations_catalog:\n  payments:\n    - env_vars: [A]\n');
    expect(problems.map((p) => [p.location, p.message])).toEqual([
      ['integrations_catalog.payments[0].name, line 6, column 7', expect.any(String)],
      ['orchestrate_format, line 3, column 21', expect.stringMatching(/orchestrate_format 2 is not a format this release reads \(1\): upgrade orchestrate/)],
    ]);
  });

  it('an alias bomb is refused at the first alias, without expanding it', () => {
    const bomb = ['domain: x', 'version: 1.1', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const problems = problemsOf(`${bomb.join('\n')}\n`);
    expect(problems).toEqual([expect.objectContaining({ location: 'line 4, column 8', message: expect.stringMatching(/alias bomb/) })]);
  });

  it('a 10 MB file is refused before it is read', async () => {
    const cwd = tempRepo();
    const file = path.join(cwd, 'expertise/integrations/expertise.yaml');
    writeTree(cwd, { 'expertise/integrations/expertise.yaml': `domain: x\nversion: 1.1\n# ${'x'.repeat(10 * 1024 * 1024)}\n` });
    const error = await readExpertise(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/expertise\.yaml: 10485\d+ bytes is over the 2097152-byte limit/);
    expect(readFileSync(file).length).toBeGreaterThan(10 * 1024 * 1024);
  });
});
