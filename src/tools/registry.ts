import { z } from 'zod';
import type { ToolName } from '../schema/agent.js';
import type { ToolSpec } from '../providers/model.js';
import { recordLearningTool } from './learning-tool.js';
import { listFilesTool, readFileTool } from './read-tools.js';
import { searchTool } from './search-tool.js';
import { runTestsTool } from './run-tests.js';
import type { ToolDefinition } from './tool.js';
import { editFileTool, writeFileTool } from './write-tools.js';
import { deleteFileTool } from './delete-tool.js';

/** The tools that run in-process. `finish` is handled by the agent loop itself. */
export const TOOLS: Partial<Record<ToolName, ToolDefinition<any>>> = {
  read_file: readFileTool,
  list_files: listFilesTool,
  search: searchTool,
  write_file: writeFileTool,
  edit_file: editFileTool,
  delete_file: deleteFileTool,
  record_learning: recordLearningTool,
  run_tests: runTestsTool,
};

export const FINISH_DESCRIPTION =
  'Finish the task with its structured result. Call it exactly once, when every file is written; ' +
  'the result must match the schema, or it is returned to you with the problems.';

/**
 * Tool specs for a model request: the agent's tools that exist, and `finish` with the task's
 * result schema. The order is the registry's, whatever order the agent lists them in, and
 * `finish` (the only part that differs between tasks) comes last: tools are the start of the
 * cached prompt prefix, so agents with the same tools send the same bytes.
 */
export function toolSpecs(tools: readonly ToolName[], resultSchema: z.ZodType): ToolSpec[] {
  const specs: ToolSpec[] = [];
  const wanted = new Set(tools);
  for (const [name, tool] of Object.entries(TOOLS) as Array<[ToolName, ToolDefinition<any>]>) {
    if (wanted.has(name)) specs.push({ name, description: tool.description, inputSchema: jsonSchema(tool.input) });
  }
  // Strict: the API guarantees the result matches the schema's shape, so fewer results come back invalid.
  specs.push({ name: 'finish', description: FINISH_DESCRIPTION, inputSchema: jsonSchema(resultSchema), strict: true });
  return specs;
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}
