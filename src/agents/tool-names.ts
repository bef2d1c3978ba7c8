import { ToolName } from '../schema/agent.js';

/** Claude Code's tool names and what each maps to here. */
const CLAUDE_CODE_TOOLS: Record<string, ToolName | undefined> = {
  read: 'read_file',
  write: 'write_file',
  edit: 'edit_file',
  multiedit: 'edit_file',
  glob: 'list_files',
  grep: 'search',
  ls: 'list_files',
};

/** Tools every agent has: the protocol needs them to report results and learnings. */
const ALWAYS: ToolName[] = ['record_learning', 'finish'];
const ALL_TOOLS = ToolName.options;

/**
 * Maps a frontmatter `tools` value to orchestrate tools. No `tools` means every tool (as in
 * Claude Code). `Bash` maps to `run_tests` only for testing roles; any other unknown tool is a
 * warning, not a failure.
 */
export function mapToolNames(
  tools: string | string[] | undefined,
  agentName: string,
  description: string,
): { tools: ToolName[]; warnings: string[] } {
  const testingRole = /test/i.test(agentName) || /\btest/i.test(description);
  if (tools === undefined) {
    return { tools: ALL_TOOLS.filter((tool) => tool !== 'run_tests' || testingRole), warnings: [] };
  }
  const names = (Array.isArray(tools) ? tools : tools.split(',')).map((name) => name.trim()).filter(Boolean);
  const out = new Set<ToolName>();
  const warnings: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    const ours = ToolName.safeParse(lower);
    if (ours.success) out.add(ours.data);
    else if (CLAUDE_CODE_TOOLS[lower]) out.add(CLAUDE_CODE_TOOLS[lower]);
    else if (lower === 'bash' && testingRole) out.add('run_tests');
    else if (lower === 'bash') warnings.push(`tool "Bash" is only available as run_tests to testing roles; left out`);
    else warnings.push(`tool "${name}" is not provided by orchestrate; left out`);
  }
  for (const tool of ALWAYS) out.add(tool);
  return { tools: ALL_TOOLS.filter((tool) => out.has(tool)), warnings };
}
