import { z } from 'zod';
import type { PlannedTask } from '../engine/plan.js';
import type { RunEvent } from '../schema/events.js';
import type { ToolName } from '../schema/agent.js';
import type { StagingOverlay } from '../staging/staging-view.js';

/** A learning as an agent records it; the engine adds date and provenance. */
export const LearningInput = z.object({
  insight: z.string().min(10).max(2000).describe('What was learned, as one actionable sentence'),
  context: z.string().max(2000).optional().describe('Where it applies'),
  files_affected: z.array(z.string().max(300)).max(50).default([]).describe('Repository paths it concerns'),
});
export type LearningInput = z.infer<typeof LearningInput>;

/** What a tool can reach: the workspace to read, the run's staging area to write. */
export interface ToolContext {
  /** The workspace's real path. */
  workspace: string;
  /** The task's view of the run's overlay: its own writes and those of the tasks it needs. */
  staging: StagingOverlay;
  /** The task the tool works for: provenance of what it stages. */
  task: Pick<PlannedTask, 'id' | 'phase' | 'agent'>;
  runId: string;
  emit: (event: RunEvent) => void;
  at: () => string;
  /** Records a learning. A returned promise is awaited; its rejection (a refused learning) goes back to the model. */
  recordLearning: (learning: LearningInput) => unknown;
  /** The run's secret scan of a staged text: one line per hit (`line 3: rule ...`), never the secret. */
  scanSecrets?: (repoPath: string, content: string) => Promise<string[]>;
  signal: AbortSignal;
  /**
   * Counts `bytes` staged at `repoPath` (its new size) against the task's and the run's caps;
   * throws, refusing the write, when one would be passed.
   */
  chargeStaged?: (repoPath: string, bytes: number) => void;
  /** Let `run_tests` run without an OS sandbox where none exists (`--unsafe-run-tests`). @default false */
  unsafeRunTests?: boolean;
}

/** A tool: its input is a zod schema, validated before `run` is called. */
export interface ToolDefinition<Input = unknown> {
  name: ToolName;
  description: string;
  input: z.ZodType<Input>;
  /** Returns the text handed back to the model. Throwing makes it an error result. */
  run(input: Input, context: ToolContext): Promise<string>;
  /** A short, secret-free description for events and logs. */
  describe(input: Input): string;
}

export function defineTool<Input>(tool: ToolDefinition<Input>): ToolDefinition<Input> {
  return tool;
}
