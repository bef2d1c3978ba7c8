import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { yaml } from '../runtime/lazy-modules.js';
import { UserError, ValidationError } from '../errors.js';
import { zodProblems } from '../schema/problems.js';
import { toPlainData, yamlProblems } from '../schema/yaml-problems.js';
import { Workflow } from '../schema/workflow.js';

export interface LoadedWorkflow {
  workflow: Workflow;
  file: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Directories searched for workflows, workspace first. */
export function workflowDirs(workspace: string, packageRoot: string): string[] {
  return [path.join(workspace, 'workflows'), path.join(packageRoot, 'workflows')];
}

/** Parses and schema-checks workflow text; every problem is reported, with its location. */
export function parseWorkflow(text: string, file: string): Workflow {
  const document = yaml().parseDocument(text, { prettyErrors: true });
  if (document.errors.length) {
    throw new ValidationError(yamlProblems(document.errors, file));
  }
  const plain = toPlainData(document, file);
  if (plain.problems.length) throw new ValidationError(plain.problems);
  const parsed = Workflow.safeParse(plain.data);
  if (!parsed.success) throw new ValidationError(zodProblems(file, parsed.error));
  return parsed.data;
}

/** Finds a workflow by name (workspace, then package) or by path, and parses it. */
export async function loadWorkflow(nameOrPath: string, dirs: readonly string[]): Promise<LoadedWorkflow> {
  const byPath = /\.ya?ml$/.test(nameOrPath);
  if (!byPath && !NAME.test(nameOrPath)) {
    throw new UserError('UNKNOWN_WORKFLOW', `"${nameOrPath}" is not a workflow name; names use letters, digits, dashes and underscores`);
  }
  const candidates = byPath ? [path.resolve(nameOrPath)] : dirs.map((dir) => path.join(dir, `${nameOrPath}.yaml`));
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      if (error.code === 'EISDIR') throw new UserError('BAD_WORKFLOW_PATH', `${file} is a directory, not a workflow file; give a .yaml file or a workflow name`);
      throw error;
    });
    if (text !== undefined) return { workflow: parseWorkflow(text, file), file };
  }
  const known = await listWorkflows(dirs);
  throw new UserError('UNKNOWN_WORKFLOW', `no workflow "${nameOrPath}"; available: ${known.join(', ') || 'none'} (run "orchestrate workflows" to list them)`);
}

/** Names of the workflows found in the directories, first definition winning. */
export async function listWorkflows(dirs: readonly string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of dirs) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) if (entry.endsWith('.yaml')) names.add(entry.slice(0, -'.yaml'.length));
  }
  return [...names].sort();
}
