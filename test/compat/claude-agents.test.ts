import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNeeding } from '../helpers/needs.js';
import { agentFilesIn, loadAgents, parseAgent, scanAgents } from '../../src/agents/load.js';
import { runCli } from '../helpers/cli.js';
import { COMPAT_DIR, REPO_ROOT, runFolders, tempRepo, writeTree } from '../helpers/workspace.js';

const AGENTS_DIR = path.join(COMPAT_DIR, 'claude-agents');

describeNeeding(['compat'], 'real Claude Code agent files load unchanged', () => {
  const files = (existsSync(AGENTS_DIR) ? readdirSync(AGENTS_DIR) : []).filter((f) => f.endsWith('.md'));

  it('finds the eight files the /integrate specification names', () => {
    expect(files).toHaveLength(8);
  });

  it.each(files)('%s loads, with unknown tools as warnings', (file) => {
    const text = readFileSync(path.join(AGENTS_DIR, file), 'utf8');
    const { agent, problems } = parseAgent(text, file);
    expect(problems).toEqual([]);
    expect(agent?.name).toBe(file.replace(/\.md$/, ''));
    expect(agent?.systemPrompt.length).toBeGreaterThan(100);
    expect(agent?.tools).toContain('finish');
    expect(agent?.tools).toContain('record_learning');
  });

  it('maps Claude Code tool names and warns about the ones orchestrate lacks', () => {
    const text = readFileSync(path.join(AGENTS_DIR, 'documentation-expert.md'), 'utf8');
    const { agent } = parseAgent(text, 'documentation-expert.md');
    // tools: Read, Write, Edit, MultiEdit, Bash, WebFetch, Grep
    expect(agent?.tools).toEqual(['read_file', 'search', 'write_file', 'edit_file', 'record_learning', 'finish']);
    expect(agent?.warnings.join('\n')).toMatch(/"WebFetch" is not provided/);
    expect(agent?.warnings.join('\n')).toMatch(/Bash/);
  });

  it('gives Bash to a testing role as run_tests', () => {
    const text = readFileSync(path.join(AGENTS_DIR, 'agent-testing-engineer.md'), 'utf8');
    expect(parseAgent(text, 'agent-testing-engineer.md').agent?.tools).toContain('run_tests');
  });

  it('keeps the model, including a full model id, and defaults to inherit', () => {
    const review = parseAgent(readFileSync(path.join(AGENTS_DIR, 'code-review-expert.md'), 'utf8'), 'x.md').agent;
    expect(review?.model).toBe('claude-sonnet-4-20250514');
    const research = parseAgent(readFileSync(path.join(AGENTS_DIR, 'research-manager.md'), 'utf8'), 'x.md').agent;
    expect(research?.model).toBe('inherit');
  });

  it('a workspace directory overrides a built-in agent of the same name', async () => {
    const agents = await loadAgents([AGENTS_DIR, path.join(REPO_ROOT, 'agents')]);
    expect(agents.get('integration-specialist')?.source).toContain(AGENTS_DIR);
    expect(agents.get('testing-engineer')?.source).toContain(path.join(REPO_ROOT, 'agents'));
  });

  it('the built-in agents are the six roles of the workflow', async () => {
    const agents = await loadAgents([path.join(REPO_ROOT, 'agents')]);
    expect([...agents.keys()].sort()).toEqual([
      'code-review-expert',
      'documentation-expert',
      'integration-specialist',
      'memory-system-engineer',
      'research-manager',
      'testing-engineer',
    ]);
    for (const agent of agents.values()) expect(agent.warnings).toEqual([]);
  });
});

describeNeeding(['compat'], 'real public collections: a broken file and a collection in subfolders', () => {
  const BROKEN = path.join(COMPAT_DIR, 'claude-agents-broken');
  const TREE = path.join(COMPAT_DIR, 'claude-agents-tree');

  it('skips the file with broken frontmatter, naming file, line and problem, and loads the others beside it', async () => {
    const scan = await scanAgents([BROKEN, AGENTS_DIR]);
    expect(scan.skipped.map((s) => path.basename(s.file))).toEqual(['gdpr-ccpa-compliance.md']);
    expect(scan.skipped[0]!.name).toBe('gdpr-ccpa-compliance');
    expect(scan.warnings.join('\n')).toMatch(/skipped .*gdpr-ccpa-compliance\.md: line 3, column \d+: broken frontmatter/);
    expect(scan.agents.size).toBe(8);
  });

  it('scans the subfolders of a collection, in a stable order by path, and warns that its documentation-expert shadows the built-in one', async () => {
    const files = await agentFilesIn(TREE);
    expect(files.map((f) => path.relative(TREE, f))).toEqual([
      'data-ai/postgres-pro.md',
      'development/typescript-pro.md',
      'quality-testing/code-reviewer.md',
      'security/security-auditor.md',
      'specialization/api-documenter.md',
      'specialization/documentation-expert.md',
    ]);
    const scan = await scanAgents([TREE, path.join(REPO_ROOT, 'agents')]);
    expect(scan.skipped).toEqual([]);
    expect(scan.agents.get('typescript-pro')?.model).toBe('sonnet');
    expect(scan.agents.get('documentation-expert')?.source).toBe(path.join(TREE, 'specialization', 'documentation-expert.md'));
    expect(scan.shadowed).toEqual([
      expect.objectContaining({ name: 'documentation-expert', kind: 'search-order', loser: path.join(REPO_ROOT, 'agents', 'documentation-expert.md') }),
    ]);
    expect(scan.warnings.join('\n')).toMatch(/agent "documentation-expert" of .*specialization\/documentation-expert\.md shadows the one in .*agents\/documentation-expert\.md/);
  });

  it('a workspace with both: agents and validate list the broken file, a workflow needing it fails with why, one that does not runs', () => {
    const cwd = tempRepo();
    cpSync(TREE, path.join(cwd, '.claude', 'agents'), { recursive: true });
    cpSync(path.join(BROKEN, 'gdpr-ccpa-compliance.md'), path.join(cwd, '.claude', 'agents', 'gdpr-ccpa-compliance.md'));
    const flow = (agent: string) =>
      `name: privacy\ndescription: d\ninputs:\n  service:\n    type: string\nphases:\n  - id: a\n    name: A\n    tasks:\n      - id: t\n        agent: ${agent}\n        prompt: "Review {{inputs.service}}"\n`;
    writeTree(cwd, { 'workflows/privacy.yaml': flow('gdpr-ccpa-compliance'), 'flows/ts.yaml': flow('typescript-pro') });

    const agents = runCli(['agents'], cwd);
    expect(agents.code).toBe(0);
    expect(agents.stdout).toMatch(/typescript-pro/);
    expect(agents.stderr).toMatch(/warning: skipped \.claude\/agents\/gdpr-ccpa-compliance\.md: line 3, column \d+/);

    const validate = runCli(['validate'], cwd);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toMatch(/gdpr-ccpa-compliance\.md \(line 3, column \d+\): broken frontmatter/);
    expect(validate.stdout).toMatch(/agent "gdpr-ccpa-compliance" could not be loaded: .*line 3/);

    const needing = runCli(['run', 'privacy', '--input', 'service=billing', '--quiet'], cwd);
    expect(needing.code).toBe(2);
    expect(needing.stderr).toMatch(/agent "gdpr-ccpa-compliance" could not be loaded: .*gdpr-ccpa-compliance\.md: line 3, column \d+: broken frontmatter/);
    expect(runFolders(cwd)).toEqual([]);

    // `service` here is not an integration's service: it is not checked against the catalog.
    const other = runCli(['run', 'flows/ts.yaml', '--input', 'service=billing'], cwd);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).toMatch(/warning: skipped .*gdpr-ccpa-compliance\.md/);
    expect(runFolders(cwd)).toHaveLength(1);
  });
});
