import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runFolders, tempRepo } from '../helpers/workspace.js';

const EXPERTISE = 'expertise/integrations/expertise.yaml';
const SEEDED = `# hand-written\ndomain: integrations\nversion: 1.1\nlearnings: []\n`;

/** YAML whose aliases expand to 10^levels strings: a "billion laughs" document. */
function aliasBomb(levels = 12): string {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

/** An agent whose frontmatter aliases would expand to 10^30 strings. */
const BOMB_AGENT = `---\n${aliasBomb(30)}\nname: bomb\ndescription: d\n---\nbody\n`;

const AGENT = (name: string) => `---\nname: ${name}\ndescription: test agent\n---\nYou test.\n`;

/** Runs the CLI in a repository with an expertise file, and checks the bad-input contract. */
function expectRejected(args: string[], files: Record<string, string>, message: RegExp) {
  const cwd = tempRepo({ [EXPERTISE]: SEEDED, ...files });
  const { code, stdout, stderr } = runCli(args, cwd);
  expect(code, stderr + stdout).toBe(2);
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^orchestrate: /);
  expect(lines[0]).toMatch(message);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(runFolders(cwd)).toEqual([]);
  expect(readFileSync(path.join(cwd, EXPERTISE), 'utf8')).toBe(SEEDED);
}

describe('bad input: exit 2, one line on stderr, nothing written', () => {
  it('integrate with no service', () => expectRejected(['integrate'], {}, /name the service to integrate/));
  it('a service that climbs out of the tree', () => expectRejected(['integrate', '../../etc'], {}, /"\.\.\/\.\.\/etc" is not valid/));
  it('an empty service name', () => expectRejected(['integrate', ''], {}, /input "service": is required/));
  it('a service name with spaces', () => expectRejected(['integrate', 'my service'], {}, /"my service" is not valid/));
  it('a service name with slashes', () => expectRejected(['integrate', 'a/b'], {}, /"a\/b" is not valid/));
  it('an unknown service', () => expectRejected(['integrate', 'twilo'], {}, /unknown service "twilo": did you mean twilio/));
  it('an unknown workflow', () => expectRejected(['run', 'nosuchworkflow'], {}, /no workflow "nosuchworkflow"; available: .*integrate/));
  it('an unknown flag', () => expectRejected(['integrate', 'twilio', '--concurency', '2'], {}, /unknown option --concurency; did you mean --concurrency\?/));
  it('an unknown command', () => expectRejected(['integrat', 'twilio'], {}, /unknown command "integrat"; did you mean "integrate"/));

  it('a workflow that names an unknown agent', () =>
    expectRejected(['run', 'flow'], {
      'workflows/flow.yaml': 'name: flow\ndescription: d\nphases:\n  - id: p\n    name: P\n    tasks:\n      - id: a\n        agent: ghost\n        prompt: x\n',
    }, /flow\.yaml \(phases\[0\]\.tasks\[0\]\.agent\): unknown agent "ghost"/));

  it('a workflow with a cycle', () =>
    expectRejected(['run', 'flow'], {
      'agents/worker.md': AGENT('worker'),
      'workflows/flow.yaml':
        'name: flow\ndescription: d\nphases:\n  - id: p\n    name: P\n    tasks:\n      - { id: a, agent: worker, prompt: x, needs: [b] }\n      - { id: b, agent: worker, prompt: y, needs: [a] }\n',
    }, /the tasks form a cycle: (a -> b -> a|b -> a -> b)/));

  // A bad agent file does not stop a run that does not need it (Claude Code skips it too): a
  // warning naming file, line and problem; `validate` fails on it; a workflow needing it fails.
  it.each([
    ['without a name', { 'agents/nameless.md': '---\ndescription: no name\n---\nbody\n' }, /skipped .*nameless\.md: name: /],
    ['with broken frontmatter', { 'agents/broken.md': '---\nname: broken\ndescription: [unclosed\n---\nbody\n' }, /skipped .*broken\.md: line \d+, column \d+: broken frontmatter/],
    ['whose frontmatter aliases expand like a billion laughs', { 'agents/bomb.md': BOMB_AGENT }, /skipped .*bomb\.md: frontmatter: its YAML aliases expand too far \(more than 100 uses/],
  ])('an agent file %s is skipped with a warning; validate lists it (exit 2)', (_, files, warning) => {
    const cwd = tempRepo({ [EXPERTISE]: SEEDED, ...files });
    const dry = runCli(['integrate', 'twilio', '--dry-run'], cwd);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(warning);
    expect(dry.stderr).not.toMatch(/\n\s+at |internal error/i);
    const validate = runCli(['validate'], cwd);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toMatch(/agents\/(nameless|broken|bomb)\.md \((name|line \d+, column \d+|frontmatter)\): /);
    expect(validate.stdout + validate.stderr).not.toMatch(/\n\s+at |internal error/i);
    expect(runFolders(cwd)).toEqual([]);
  });

  it('validate on the alias-bomb agent file itself: exit 2, the problem named, no stack', () => {
    const cwd = tempRepo({ [EXPERTISE]: SEEDED, 'agents/bomb.md': BOMB_AGENT });
    const validate = runCli(['validate', 'agents/bomb.md'], cwd);
    expect(validate.code, validate.stderr).toBe(2);
    expect(validate.stdout).toMatch(/agents\/bomb\.md \(frontmatter\): its YAML aliases expand too far/);
    expect(validate.stdout + validate.stderr).not.toMatch(/\n\s+at |internal error/i);
  });

  // 10^30 strings if expanded: the loader stops at the 101st alias use, or this test never ends.
  it('a workflow that needs an agent whose frontmatter is an alias bomb', () =>
    expectRejected(['run', 'flow'], {
      'agents/bomb.md': BOMB_AGENT,
      'workflows/flow.yaml': 'name: flow\ndescription: d\nphases:\n  - id: p\n    name: P\n    tasks:\n      - { id: a, agent: bomb, prompt: x }\n',
    }, /agent "bomb" could not be loaded: .*bomb\.md: frontmatter: its YAML aliases expand too far \(more than 100 uses/));

  it('a workflow that needs an agent whose file does not load', () =>
    expectRejected(['run', 'flow'], {
      'agents/broken.md': '---\nname: broken\ndescription: [unclosed\n---\nbody\n',
      'workflows/flow.yaml': 'name: flow\ndescription: d\nphases:\n  - id: p\n    name: P\n    tasks:\n      - { id: a, agent: broken, prompt: x }\n',
    }, /agent "broken" could not be loaded: .*broken\.md: line \d+, column \d+: broken frontmatter/));

  it('a workflow whose YAML aliases expand like a billion laughs', () =>
    expectRejected(['run', 'bomb'], { 'workflows/bomb.yaml': `${aliasBomb()}\nname: bomb\ndescription: d\nphases: []\n` }, /bomb\.yaml: its YAML aliases expand too far \(more than 100 uses/));

  it('an agent file that is a link to a directory', () => {
    const cwd = tempRepo({ [EXPERTISE]: SEEDED });
    mkdirSync(path.join(cwd, 'agents', 'real-dir'), { recursive: true });
    symlinkSync(path.join(cwd, 'agents', 'real-dir'), path.join(cwd, 'agents', 'linked.md'));
    const { code, stderr } = runCli(['integrate', 'twilio'], cwd);
    expect(code, stderr).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^orchestrate: .*linked\.md is a directory \(through a symbolic link\), not an agent file/)]);
    expect(runFolders(cwd)).toEqual([]);
  });

  it('--record pointing at a file', () =>
    expectRejected(['integrate', 'twilio', '--record', 'notes.txt'], { 'notes.txt': 'mine\n' }, /--record .*notes\.txt is a file; give a directory/));

  it('nothing is created in a workspace without pending-commits', () => {
    const cwd = tempRepo();
    expect(runCli(['integrate', '../x'], cwd).code).toBe(2);
    expect(existsSync(path.join(cwd, 'pending-commits'))).toBe(false);
    expect(existsSync(path.join(cwd, 'expertise'))).toBe(false);
  });
});
