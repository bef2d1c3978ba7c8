import { ToolName } from '../schema/agent.js';

/** Claude Code's tool names and what each maps to here. */
const CLAUDE_CODE_TOOLS: Record<string, readonly ToolName[] | undefined> = {
  read: ['read_file'],
  write: ['write_file'],
  edit: ['edit_file'],
  multiedit: ['edit_file'],
  notebookedit: ['edit_file'],
  glob: ['list_files'],
  grep: ['search'],
  ls: ['list_files'],
};

/** Tools every agent has: the protocol needs them to report results and learnings. */
const ALWAYS: ToolName[] = ['record_learning', 'finish'];
const ALL_TOOLS = ToolName.options;
/** What Claude Code's plan mode leaves: reading and searching. */
const READ_ONLY: ReadonlySet<ToolName> = new Set(['read_file', 'list_files', 'search', 'record_learning', 'finish']);

/** The frontmatter fields that decide an agent's tools, as Claude Code documents them. */
export interface ToolFields {
  /** Allowlist: no value means every tool; `[]` means none. */
  tools?: string | string[] | undefined;
  /** Denylist, removed from the allowlist (or from every tool). */
  disallowedTools?: string | string[] | undefined;
  /** `plan` (read-only) and `dontAsk` restrict tools; the other modes only change prompting. */
  permissionMode?: unknown;
}

function names(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(',')).map((name) => String(name).trim()).filter(Boolean);
}

/** The tools one Claude Code (or orchestrate) tool name stands for; empty when we have none. */
function toolsFor(name: string, testingRole: boolean): ToolName[] {
  const lower = name.toLowerCase();
  const ours = ToolName.safeParse(lower);
  if (ours.success) return [ours.data];
  if (lower === 'bash') return testingRole ? ['run_tests'] : [];
  return [...(CLAUDE_CODE_TOOLS[lower] ?? [])];
}

/** `Bash(npm test:*)`, `Write(src/**)`: a permission rule scoped to some uses of a tool. */
const SCOPED = /^([A-Za-z_]+)\((.*)\)$/;

/**
 * Works out an agent's tools from `tools`, `disallowedTools` and `permissionMode`. No `tools`
 * means every tool (as in Claude Code). `Bash` maps to `run_tests` only for testing roles; a tool
 * we do not have is a warning. A restriction is never dropped: what cannot be enforced exactly
 * (a scoped rule such as `Bash(rm *)`, `dontAsk` without Claude Code's settings) is enforced more
 * strictly, with a warning saying so.
 */
export function resolveTools(fields: ToolFields, agentName: string, description: string): { tools: ToolName[]; warnings: string[] } {
  const testingRole = /test/i.test(agentName) || /\btest/i.test(description);
  const warnings: string[] = [];
  let allowed: Set<ToolName>;
  if (fields.tools === undefined) {
    allowed = new Set(ALL_TOOLS.filter((tool) => tool !== 'run_tests' || testingRole));
  } else {
    allowed = new Set();
    for (const name of names(fields.tools)) {
      const scoped = SCOPED.exec(name);
      if (scoped) {
        const base = toolsFor(scoped[1]!, testingRole);
        if (base.length) warnings.push(`tool "${name}" is scoped to some uses, which orchestrate cannot enforce; left out`);
        else warnings.push(`tool "${name}" is not provided by orchestrate; left out`);
        continue;
      }
      const mapped = toolsFor(name, testingRole);
      for (const tool of mapped) allowed.add(tool);
      if (mapped.length) continue;
      if (name.toLowerCase() === 'bash') warnings.push('tool "Bash" is only available as run_tests to testing roles; left out');
      else warnings.push(`tool "${name}" is not provided by orchestrate; left out`);
    }
  }
  for (const name of names(fields.disallowedTools)) {
    const scoped = SCOPED.exec(name);
    const denied = toolsFor(scoped ? scoped[1]! : name, true);
    // Write covers removing a file: a writer denied Write may not stage a deletion either.
    if (denied.includes('write_file')) denied.push('delete_file');
    if (scoped && denied.length) warnings.push(`disallowed "${name}" is scoped to some uses; orchestrate denies the whole tool`);
    for (const tool of denied) allowed.delete(tool);
  }
  const mode = fields.permissionMode;
  if (mode === 'plan' || mode === 'dontAsk') {
    for (const tool of [...allowed]) if (!READ_ONLY.has(tool)) allowed.delete(tool);
    if (mode === 'dontAsk') warnings.push('permissionMode "dontAsk" denies what Claude Code\'s settings do not pre-approve; orchestrate does not read them, so the agent is read-only');
  } else if (mode !== undefined && !['default', 'acceptEdits', 'auto', 'bypassPermissions'].includes(String(mode))) {
    warnings.push(`permissionMode "${String(mode)}" is not one Claude Code documents; ignored`);
  }
  for (const tool of ALWAYS) allowed.add(tool);
  return { tools: ALL_TOOLS.filter((tool) => allowed.has(tool)), warnings };
}
