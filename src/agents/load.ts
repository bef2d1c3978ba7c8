import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError, type ValidationProblem } from '../errors.js';
import { modelProblem } from '../providers/model-aliases.js';
import { AgentDefinition, AgentFrontmatter, type ToolName } from '../schema/agent.js';
import { zodProblems } from '../schema/problems.js';
import { parseFrontmatter } from './frontmatter.js';
import { resolveTools } from './tool-names.js';

/** Turns n on by default; an agent may lower or raise it with `maxTurns`. */
export const DEFAULT_MAX_TURNS = 30;

/** Parses one agent file's text. Unknown tools become warnings; bad frontmatter is a problem. */
export function parseAgent(text: string, file: string): { agent?: AgentDefinition; problems: ValidationProblem[] } {
  const { data, body, problems } = parseFrontmatter(text, file);
  if (problems.length > 0) return { problems };
  const parsed = AgentFrontmatter.safeParse(data ?? {});
  if (!parsed.success) return { problems: zodProblems(file, parsed.error) };
  const front = parsed.data;
  const badModel = front.model === undefined ? undefined : modelProblem(front.model);
  if (badModel) return { problems: [{ file, location: 'model', message: badModel }] };
  const { tools, warnings } = resolveTools(front, front.name, front.description);
  const agent: AgentDefinition = {
    name: front.name,
    description: front.description,
    tools,
    model: front.model ?? 'inherit',
    maxTurns: front.maxTurns ?? DEFAULT_MAX_TURNS,
    ...(front.limits ? { limits: front.limits } : {}),
    ...(front.maxTokens !== undefined ? { maxTokens: front.maxTokens } : {}),
    ...(front.effort !== undefined ? { effort: front.effort } : {}),
    ...(front.research !== undefined ? { research: front.research } : {}),
    systemPrompt: body.trim(),
    source: file,
    warnings: warnings.map((warning) => `${file}: ${warning}`),
  };
  return { agent, problems: [] };
}

/** An agent file that could not be loaded: skipped, the others load. */
export interface SkippedAgentFile {
  file: string;
  /** The name it would have had: its `name:` line, else the file name. */
  name: string;
  problems: ValidationProblem[];
}

/** A name defined twice: the first file in search order wins. */
export interface ShadowedAgent {
  name: string;
  winner: string;
  loser: string;
  /** `same-folder` is a mistake `validate` reports; `search-order` is how overriding works. */
  kind: 'search-order' | 'same-folder';
  reason: string;
}

/** Everything a scan of the agent folders found. */
export interface AgentScan {
  agents: Map<string, AgentDefinition>;
  skipped: SkippedAgentFile[];
  shadowed: ShadowedAgent[];
  /** One line each: skipped files and shadowed names (each agent's own warnings are on the agent). */
  warnings: string[];
}

/** The `*.md` files under a folder and its subfolders, in a stable order (by relative path, code point order). */
export async function agentFilesIn(directory: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(directory, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  const files = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.md'))
    // `parentPath` is Node 20.12+; `path` is its older name.
    .map((entry) => path.join((entry as { parentPath?: string }).parentPath ?? (entry as unknown as { path: string }).path, entry.name))
    .map((file) => path.relative(directory, file).split(path.sep).join('/'))
    // Hidden folders (.git, .obsidian) are not agent folders.
    .filter((relative) => !relative.split('/').some((part) => part.startsWith('.')));
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((relative) => path.join(directory, relative));
}

const NAME_LINE = /^name:[ \t]*["']?([^"'\n#]+?)["']?[ \t]*$/m;

/** An agent file's text; a `.md` that is a directory (through a link) is the user's to fix, in one line. */
async function readAgentFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
    throw new UserError('BAD_AGENT_PATH', `${file} is a directory (through a symbolic link), not an agent file; remove the link or point it at a .md file`);
  }
}

function guessName(text: string, file: string): string {
  return NAME_LINE.exec(text)?.[1]?.trim() || path.basename(file, '.md');
}

/**
 * Loads every `*.md` agent under the directories (subfolders too) in order; the first definition
 * of a name wins, so a workspace can override a built-in agent. A file that does not load is
 * skipped with a warning naming its file, line and problem, as Claude Code does; every shadowed
 * name is a warning saying which file won and why.
 */
export async function scanAgents(directories: readonly string[]): Promise<AgentScan> {
  const scan: AgentScan = { agents: new Map(), skipped: [], shadowed: [], warnings: [] };
  const folderOf = new Map<string, string>();
  for (const directory of directories) {
    const files = await agentFilesIn(directory);
    const texts = await Promise.all(files.map((file) => readAgentFile(file)));
    files.forEach((file, i) => {
      const { agent, problems } = parseAgent(texts[i]!, file);
      if (!agent) {
        const skipped = { file, name: guessName(texts[i]!, file), problems };
        scan.skipped.push(skipped);
        scan.warnings.push(`skipped ${file}: ${whySkipped(skipped)}; the other agents load`);
        return;
      }
      const first = scan.agents.get(agent.name);
      if (!first) {
        scan.agents.set(agent.name, agent);
        folderOf.set(agent.name, directory);
        return;
      }
      const sameFolder = folderOf.get(agent.name) === directory;
      const reason = sameFolder
        ? `both are in ${directory}; the first by path wins: rename one`
        : `${folderOf.get(agent.name)} is searched before ${directory}`;
      scan.shadowed.push({ name: agent.name, winner: first.source, loser: file, kind: sameFolder ? 'same-folder' : 'search-order', reason });
      scan.warnings.push(`agent "${agent.name}" of ${first.source} shadows the one in ${file} (${reason})`);
    });
  }
  return scan;
}

/** Why a file was skipped, in one line: each problem with its line and column. */
export function whySkipped(skipped: SkippedAgentFile): string {
  return skipped.problems.map((p) => (p.location ? `${p.location}: ${p.message}` : p.message)).join('; ');
}

/** The agents of {@link scanAgents}, by name (files that do not load are left out). */
export async function loadAgents(directories: readonly string[]): Promise<Map<string, AgentDefinition>> {
  return (await scanAgents(directories)).agents;
}

export type { ToolName };
