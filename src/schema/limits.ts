import { z } from 'zod';

/**
 * Caps on what one agent may do, so no reply can flood a run. Set in a workflow (`limits:`, for
 * every task) or an agent's frontmatter (`limits:`, for its tasks; it wins over the workflow's);
 * what neither sets is {@link DEFAULT_LIMITS}.
 *
 * @example
 * limits: { toolCallsPerReply: 20, stagedBytesPerRun: 8388608 }
 */
export const Limits = z
  .object({
    /** Tool calls run from one model reply; the rest are answered "not run". */
    toolCallsPerReply: z.number().int().positive().optional(),
    /** Tool calls in one task attempt; past it the task fails. */
    toolCallsPerTask: z.number().int().positive().optional(),
    /** Bytes a task may have staged (the files it wrote, at their latest size). */
    stagedBytesPerTask: z.number().int().positive().optional(),
    /** Bytes the whole run may have staged. */
    stagedBytesPerRun: z.number().int().positive().optional(),
    /** Learnings one task may record. */
    learningsPerTask: z.number().int().positive().optional(),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

export const DEFAULT_LIMITS: Required<Limits> = {
  toolCallsPerReply: 64,
  toolCallsPerTask: 500,
  stagedBytesPerTask: 8 * 1024 * 1024,
  stagedBytesPerRun: 32 * 1024 * 1024,
  learningsPerTask: 20,
};

/** The longest an agent task's attempt runs when neither the task nor the workflow's defaults say. */
export const DEFAULT_AGENT_TASK_TIMEOUT = '30m';

/** The limits in force: the agent's over the workflow's over the defaults. */
export function resolveLimits(workflow: Limits | undefined, agent: Limits | undefined): Required<Limits> {
  return { ...DEFAULT_LIMITS, ...workflow, ...agent };
}
