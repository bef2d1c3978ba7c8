import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgent, scanAgents } from '../../src/agents/load.js';
import { UserError } from '../../src/errors.js';
import { MODEL_ALIASES, resolveModelId } from '../../src/providers/model-aliases.js';
import { runCli } from '../helpers/cli.js';
import { tempRepo, writeTree } from '../helpers/workspace.js';

/** An agent file in Claude Code's subagent format, with the given frontmatter lines. */
const agent = (front: string, body = 'You review code.') => `---\n${front}\n---\n${body}\n`;
const tools = (front: string) => parseAgent(agent(`name: reviewer\ndescription: Reviews code\n${front}`), 'reviewer.md').agent?.tools;

describe('model values Claude Code accepts', () => {
  it('maps every alias the way Claude Code documents it', () => {
    expect(resolveModelId('fable')).toBe(MODEL_ALIASES.fable);
    expect(resolveModelId('best')).toBe(MODEL_ALIASES.fable);
    expect(resolveModelId('opusplan')).toBe(MODEL_ALIASES.sonnet);
    expect(resolveModelId('default')).toBe(MODEL_ALIASES.sonnet);
    expect(resolveModelId('sonnet[1m]')).toBe(MODEL_ALIASES.sonnet);
    expect(resolveModelId('opus[1M]')).toBe(MODEL_ALIASES.opus);
    expect(resolveModelId('claude-sonnet-4-5[1m]')).toBe('claude-sonnet-4-5');
    expect(resolveModelId('claude-sonnet-4-20250514')).toBe('claude-sonnet-4-20250514');
    expect(resolveModelId('claude-3-5-haiku-20241022')).toBe('claude-3-5-haiku-20241022');
  });

  it('loads an agent with any of them; refuses what is not a model, naming the file', () => {
    for (const model of ['haiku', 'sonnet', 'opus', 'fable', 'opusplan', 'inherit', 'best', 'sonnet[1m]', 'claude-sonnet-4-20250514']) {
      const { agent: loaded, problems } = parseAgent(agent(`name: a\ndescription: d\nmodel: ${model}`), 'a.md');
      expect(problems, model).toEqual([]);
      expect(loaded?.model).toBe(model);
    }
    const bad = parseAgent(agent('name: a\ndescription: d\nmodel: "sonnet please!"'), 'a.md');
    expect(bad.agent).toBeUndefined();
    expect(bad.problems[0]).toMatchObject({ file: 'a.md', location: 'model', message: expect.stringMatching(/is not a model: use haiku, sonnet, opus, fable, best, opusplan/) });
    expect(() => resolveModelId('sonnet please!')).toThrow(UserError);
  });
});

describe('tool restrictions are honoured, never dropped', () => {
  it('disallowedTools removes tools from every tool (no tools field) and from a tools list', () => {
    expect(tools('disallowedTools: Write, Edit')).toEqual(['read_file', 'list_files', 'search', 'record_learning', 'finish']);
    expect(tools('tools: Read, Grep, Write, Edit\ndisallowedTools: [Edit]')).toEqual(['read_file', 'search', 'write_file', 'record_learning', 'finish']);
    // A testing role denied Bash does not get run_tests.
    const tester = parseAgent(agent('name: api-tester\ndescription: Writes tests\ndisallowedTools: Bash'), 't.md').agent;
    expect(tester?.tools).not.toContain('run_tests');
  });

  it('permissionMode plan (and dontAsk, with a warning) leave only reading', () => {
    expect(tools('permissionMode: plan')).toEqual(['read_file', 'list_files', 'search', 'record_learning', 'finish']);
    const dontAsk = parseAgent(agent('name: r\ndescription: d\npermissionMode: dontAsk'), 'r.md').agent;
    expect(dontAsk?.tools).toEqual(['read_file', 'list_files', 'search', 'record_learning', 'finish']);
    expect(dontAsk?.warnings.join('\n')).toMatch(/dontAsk.*read-only/);
  });

  it('a scoped rule it cannot enforce exactly is enforced more strictly, with a warning', () => {
    const scopedDeny = parseAgent(agent('name: r\ndescription: d\ndisallowedTools: "Write(src/**)"'), 'r.md').agent;
    expect(scopedDeny?.tools).not.toContain('write_file');
    expect(scopedDeny?.tools).not.toContain('delete_file');
    expect(scopedDeny?.warnings.join('\n')).toMatch(/scoped to some uses; orchestrate denies the whole tool/);
    const scopedAllow = parseAgent(agent('name: r\ndescription: d\ntools: Read, Write(docs/**)'), 'r.md').agent;
    expect(scopedAllow?.tools).toEqual(['read_file', 'record_learning', 'finish']);
    expect(scopedAllow?.warnings.join('\n')).toMatch(/"Write\(docs\/\*\*\)" is scoped to some uses, which orchestrate cannot enforce; left out/);
  });

  it('tools: [] gives no tools but the protocol ones', () => {
    expect(tools('tools: []')).toEqual(['record_learning', 'finish']);
  });
});

describe('agent files and folders', () => {
  it('accepts a closing line of more than three dashes; a missing one says what is wrong', () => {
    const long = parseAgent('---\nname: a\ndescription: d\n-----\nBody\n', 'a.md');
    expect(long.problems).toEqual([]);
    expect(long.agent?.systemPrompt).toBe('Body');
    const open = parseAgent('---\nname: a\ndescription: d\nBody\n', 'a.md');
    expect(open.problems[0]?.message).toMatch(/has no closing --- line/);
    expect(parseAgent('name: a\n', 'a.md').problems[0]?.message).toMatch(/missing YAML frontmatter/);
  });

  it('scans subfolders in path order; a name twice in one folder and a shadowed name are each reported', async () => {
    const cwd = tempRepo();
    const dir = path.join(cwd, '.claude', 'agents');
    writeTree(dir, {
      'b.md': agent('name: b\ndescription: d'),
      'team/a.md': agent('name: a\ndescription: first by path'),
      'z-copy.md': agent('name: a\ndescription: second by path'),
      'team/broken.md': '---\nname: broken\ndescription: Use it: for things\n---\n',
      '.hidden/x.md': agent('name: hidden\ndescription: d'),
    });
    writeTree(cwd, { 'agents/b.md': agent('name: b\ndescription: the workspace one') });
    const scan = await scanAgents([path.join(cwd, 'agents'), dir]);
    expect([...scan.agents.keys()]).toEqual(['b', 'a']);
    expect(scan.agents.get('a')?.description).toBe('first by path');
    expect(scan.skipped.map((s) => s.name)).toEqual(['broken']);
    expect(scan.shadowed.map((s) => [s.name, s.kind])).toEqual([
      ['b', 'search-order'],
      ['a', 'same-folder'],
    ]);
    const validate = runCli(['validate'], cwd);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toMatch(/z-copy\.md \(name\): agent "a" is also defined by .*team\/a\.md in the same folder/);
    expect(validate.stdout).toMatch(/team\/broken\.md \(line 3, column \d+\): broken frontmatter/);
  });
});
