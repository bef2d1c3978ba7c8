import path from 'node:path';
import { agentDirs as searchOrder, PACKAGE_ROOT } from '../index.js';

/** Where agents are looked up, first definition winning (as runWorkflow does). */
export function agentDirs(workspace: string): string[] {
  return searchOrder(workspace, PACKAGE_ROOT);
}

/** Where a file came from, for listings: "built-in", or its path relative to the workspace. */
export function origin(file: string, workspace: string): string {
  if (file.startsWith(PACKAGE_ROOT + path.sep) && !file.startsWith(workspace + path.sep)) return 'built-in';
  return path.relative(workspace, file);
}
