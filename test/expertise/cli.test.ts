import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNeeding } from '../helpers/needs.js';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { COMPAT_DIR, runFolders, tempRepo } from '../helpers/workspace.js';

// Real CLI child processes over dist/ (run `npm run build` first).
const FILE = 'expertise/integrations/expertise.yaml';
const agileflow = (domain: string) => readFileSync(path.join(COMPAT_DIR, 'agileflow-expertise', domain, 'expertise.yaml'), 'utf8');

const BAD: Array<[string, string, RegExp]> = [
  ['a YAML syntax error', 'domain: integrations\nversion: 1.1\nlearnings: [unclosed\n', /expertise\.yaml \(line \d+, column \d+\): /],
  ['a wrong type', 'domain: integrations\nversion: 1.1\nlearnings:\n  - date: 2026-01-01\n    insight: 12\n', /expertise\.yaml \(learnings\[0\]\.insight, line 5, column 14\): /],
  ['an unknown format of orchestrate', 'domain: integrations\nversion: 1.4\norchestrate_format: 9\n', /expertise\.yaml \(orchestrate_format, line 3, column 21\): orchestrate_format 9 is not a format this release reads/],
  [
    'an alias bomb',
    `domain: integrations\nversion: 1.1\na: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`).join('\n')}\n`,
    /expertise\.yaml \(line 4, column \d+\): .*alias bomb/,
  ],
  ['a 10 MB file', `domain: integrations\nversion: 1.1\n# ${'x'.repeat(10 * 1024 * 1024)}\n`, /expertise\.yaml: \d+ bytes is over the 2097152-byte limit/],
];

describe('orchestrate expertise (real CLI)', () => {
  it.each(BAD)('a run refuses expertise with %s: exit 2, one clear line, nothing written', (_name, text, message) => {
    const cwd = tempRepo({ [FILE]: text });
    const { code, stderr } = runCli(['integrate', 'twilio'], cwd);
    expect(code, stderr).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(readFileSync(path.join(cwd, FILE), 'utf8')).toBe(text);
    expect(runFolders(cwd)).toEqual([]);
  });

  itNeeding(['compat'], 'validate reports every problem of every file at once, with file, line and column', () => {
    const cwd = tempRepo({
      [FILE]: 'domain: integrations\norchestrate_format: 9\nlearnings:\n  - date: 2026-01-01\n    insight: 12\n  - insight: no date\n',
      'expertise/security/expertise.yaml': 'domain: security\nversion: 1.1\nfiles: [unclosed\n',
      'expertise/api/expertise.yaml': agileflow('api'),
    });
    const { code, stdout } = runCli(['expertise', 'validate'], cwd);
    expect(code, stdout).toBe(2);
    expect(stdout).toMatch(/expertise\/integrations\/expertise\.yaml \(learnings\[0\]\.insight, line 5, column 14\): /);
    expect(stdout).toMatch(/expertise\/integrations\/expertise\.yaml \(learnings\[1\]\.date, line 6, column 5\): /);
    expect(stdout).toMatch(/expertise\/integrations\/expertise\.yaml \(orchestrate_format, line 2, column 21\): orchestrate_format 9 is not a format/);
    expect(stdout).toMatch(/expertise\/integrations\/expertise\.yaml \(version, line 1, column 1\): /);
    expect(stdout).toMatch(/expertise\/security\/expertise\.yaml \(line \d+, column \d+\): /);
    // The valid AgileFlow file is checked against this repository: its paths are AgileFlow's.
    expect(stdout).toMatch(/expertise\/api\/expertise\.yaml \(files\.cli_entry\[0\]\.path, line \d+, column \d+\): stale: packages\/cli\/tools\/agileflow-npx\.js no longer exists/);
    expect(stdout).toMatch(/^5 problems and \d+ stale entries in 3 expertise files$/m);
  });

  it('validate exits 1 when the only findings are stale paths, 0 when all is well', () => {
    const cwd = tempRepo({ 'README.md': '# r\n', [FILE]: 'domain: integrations\nversion: 1.1\nfiles:\n  a:\n    - path: README.md\n    - path: src/gone.ts\n' });
    const stale = runCli(['expertise', 'validate', 'integrations'], cwd);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('expertise/integrations/expertise.yaml (files.a[1].path, line 6, column 13): stale: src/gone.ts no longer exists in the repository');
    const fine = tempRepo({ 'README.md': '# r\n', [FILE]: 'domain: integrations\nversion: 1.1\nfiles:\n  a:\n    - path: README.md\n' });
    expect(runCli(['expertise', 'validate'], fine)).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: 1 expertise file') });
  });

  itNeeding(['compat'], 'a run improves an AgileFlow file, reports its stale paths, and diff shows what it changed', () => {
    const cwd = tempRepo({ [FILE]: agileflow('integrations') });
    const run = runCli(['integrate', 'twilio'], cwd);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/Stale expertise \(\d+; see orchestrate expertise validate\)/);
    expect(run.stdout).toContain('src/config/integrations.ts no longer exists in the repository');
    const [runId] = runFolders(cwd);
    const report = parse(readFileSync(path.join(cwd, 'pending-commits', runId!, 'report.yaml'), 'utf8'));
    expect(report.staleExpertise).toContainEqual(expect.objectContaining({ kind: 'missing-file', path: 'src/config/integrations.ts' }));

    const after = parse(readFileSync(path.join(cwd, FILE), 'utf8'));
    expect(after.learnings.slice(0, 2)).toEqual(parse(agileflow('integrations')).learnings);
    expect(after.integrations_catalog.communication[0].name).toBe('twilio');

    const diff = runCli(['expertise', 'diff', runId!.slice(0, 20)], cwd);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`Expertise changed by run ${runId}`);
    expect(diff.stdout).toMatch(/^ {2}\+ integrations_catalog\.communication: twilio /m);
    expect(diff.stdout).toMatch(/^ {2}\+ learning "Twilio /m);
    expect(diff.stdout).toMatch(/^ {2}~ last_updated: 2025-12-21 -> \d{4}-\d{2}-\d{2}$/m);

    // A second run sees the same learnings again: diff says so, and nothing is duplicated.
    expect(runCli(['integrate', 'twilio'], cwd).code).toBe(0);
    const second = runFolders(cwd).sort().at(-1)!;
    expect(runCli(['expertise', 'diff', 'last'], cwd).stdout).toMatch(/~ learning ".*": seen 1 -> 2/);
    const twice = parse(readFileSync(path.join(cwd, FILE), 'utf8'));
    expect(twice.learnings).toHaveLength(after.learnings.length);
    expect(twice.integrations_catalog.communication).toHaveLength(1);
    expect(twice.integrations_catalog.communication[0].last_run).toBe(second);

    const show = runCli(['expertise', 'show', 'integrations'], cwd);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^- communication\/twilio: TWILIO_ACCOUNT_SID/m);
    expect(show.stdout).toMatch(/^- \[seen 2, /m);
  });

  itNeeding(['compat'], 'show lists every domain; an unknown domain or run is a one-line error with exit 2', () => {
    const cwd = tempRepo({ [FILE]: agileflow('integrations'), 'expertise/testing/expertise.yaml': agileflow('testing') });
    const all = runCli(['expertise', 'show'], cwd);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^expertise\/integrations\/expertise\.yaml: domain integrations, version 1\.1, last updated 2025-12-21$/m);
    expect(all.stdout).toMatch(/^expertise\/testing\/expertise\.yaml: domain testing/m);
    const unknown = runCli(['expertise', 'show', 'integration'], cwd);
    expect(unknown).toMatchObject({ code: 2, stderr: 'orchestrate: no expertise for domain "integration"; did you mean integrations?\n' });
    expect(runCli(['expertise', 'diff', 'nope'], cwd).code).toBe(2);
    expect(runCli(['expertise', 'shwo'], cwd).stderr).toMatch(/unknown expertise command "shwo"; did you mean show\?/);
  });
});

describe('orchestrate expertise in a repository without expertise', () => {
  it('show and validate say so and exit 0', () => {
    const cwd = tempRepo();
    for (const sub of ['show', 'validate']) {
      expect(runCli(['expertise', sub], cwd)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no expertise here yet/) });
    }
  });
});
