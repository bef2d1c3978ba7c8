import path from 'node:path';
import { PACKAGE_ROOT } from '../runtime/runtime.js';

/** Where agents are looked up, first definition winning (as runWorkflow does). */
export function agentDirs(workspace: string): string[] {
  return [path.join(workspace, 'agents'), path.join(workspace, '.claude', 'agents'), path.join(PACKAGE_ROOT, 'agents')];
}

/** Where a file came from, for listings: "built-in", or its path relative to the workspace. */
export function origin(file: string, workspace: string): string {
  if (file.startsWith(PACKAGE_ROOT + path.sep) && !file.startsWith(workspace + path.sep)) return 'built-in';
  return path.relative(workspace, file);
}
