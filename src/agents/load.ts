import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError, type ValidationProblem } from '../errors.js';
import { AgentDefinition, AgentFrontmatter, type ToolName } from '../schema/agent.js';
import { zodProblems } from '../schema/problems.js';
import { parseFrontmatter } from './frontmatter.js';
import { mapToolNames } from './tool-names.js';

/** Turns n on by default; an agent may lower or raise it with `maxTurns`. */
export const DEFAULT_MAX_TURNS = 30;

/** Parses one agent file's text. Unknown tools become warnings; bad frontmatter is a problem. */
export function parseAgent(text: string, file: string): { agent?: AgentDefinition; problems: ValidationProblem[] } {
  const { data, body, problems } = parseFrontmatter(text, file);
  if (problems.length > 0) return { problems };
  const parsed = AgentFrontmatter.safeParse(data ?? {});
  if (!parsed.success) return { problems: zodProblems(file, parsed.error) };
  const front = parsed.data;
  const { tools, warnings } = mapToolNames(front.tools, front.name, front.description);
  const agent: AgentDefinition = {
    name: front.name,
    description: front.description,
    tools,
    model: front.model ?? 'inherit',
    maxTurns: front.maxTurns ?? DEFAULT_MAX_TURNS,
    systemPrompt: body.trim(),
    source: file,
    warnings: warnings.map((warning) => `${file}: ${warning}`),
  };
  return { agent, problems: [] };
}

/**
 * Loads every `*.md` agent from the directories in order; the first definition of a name wins,
 * so a workspace can override a built-in agent. All problems are reported at once.
 */
export async function loadAgents(directories: readonly string[]): Promise<Map<string, AgentDefinition>> {
  const agents = new Map<string, AgentDefinition>();
  const problems: ValidationProblem[] = [];
  for (const directory of directories) {
    let names: string[];
    try {
      names = (await readdir(directory)).filter((name) => name.endsWith('.md')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const texts = await Promise.all(names.map((name) => readFile(path.join(directory, name), 'utf8')));
    names.forEach((name, i) => {
      const file = path.join(directory, name);
      const { agent, problems: found } = parseAgent(texts[i]!, file);
      problems.push(...found);
      if (agent && !agents.has(agent.name)) agents.set(agent.name, agent);
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return agents;
}

export type { ToolName };
