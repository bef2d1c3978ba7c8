import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNeeding } from '../helpers/needs.js';
import { loadAgents, parseAgent } from '../../src/agents/load.js';
import { COMPAT_DIR, REPO_ROOT } from '../helpers/workspace.js';

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
