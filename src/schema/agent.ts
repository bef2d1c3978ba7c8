import { z } from 'zod';
import { Limits } from './limits.js';

/** `effort` on the Messages API: how much the model thinks before and between tool calls. */
export const Effort = z.enum(['low', 'medium', 'high', 'xhigh', 'max']);
export type Effort = z.infer<typeof Effort>;

/**
 * Frontmatter of an agent file in the Claude Code subagent format.
 * Unknown keys (such as `team_role` or `parallel`) are kept, not rejected.
 */
export const AgentFrontmatter = z
  .object({
    name: z.string().trim().min(1, { message: 'an agent needs a name' }),
    description: z.string().trim().min(1, { message: 'an agent needs a description' }),
    /** Comma-separated string (Claude Code style) or a YAML list. */
    tools: z.union([z.string(), z.array(z.string())]).optional(),
    /** Tools to deny, removed from `tools` (or from every tool); same forms as `tools`. */
    disallowedTools: z.union([z.string(), z.array(z.string())]).optional(),
    /** Claude Code's permission mode; `plan` and `dontAsk` make the agent read-only here. */
    permissionMode: z.string().optional(),
    /**
     * `haiku` | `sonnet` | `opus` | `fable` | `best` | `opusplan` | `inherit` | a full model id,
     * each with an optional `[1m]` suffix (see providers/model-aliases.ts).
     */
    model: z.string().min(1).optional(),
    maxTurns: z.number().int().positive().optional(),
    /** Output tokens per reply (`max_tokens`); thinking counts against it. Clamped to the model's own limit. */
    maxTokens: z.number().int().positive().optional(),
    /** How hard the model thinks, on models that take it. */
    effort: Effort.optional(),
    /** `false` turns the API's web search and fetch tools off for this agent. */
    research: z.boolean().optional(),
    color: z.string().optional(),
    /** Caps on this agent's tool calls, staged bytes and learnings; over the workflow's. */
    limits: Limits.optional(),
  })
  .passthrough();
export type AgentFrontmatter = z.infer<typeof AgentFrontmatter>;

/** The names of the tools an agent can be given. */
export const ToolName = z.enum([
  'read_file',
  'list_files',
  'search',
  'write_file',
  'edit_file',
  'delete_file',
  'record_learning',
  'run_tests',
  'finish',
]);
export type ToolName = z.infer<typeof ToolName>;

/** An agent, loaded and resolved. */
export const AgentDefinition = z.object({
  name: z.string(),
  description: z.string(),
  tools: z.array(ToolName),
  model: z.string(),
  maxTurns: z.number().int().positive(),
  limits: Limits.optional(),
  maxTokens: z.number().int().positive().optional(),
  effort: Effort.optional(),
  research: z.boolean().optional(),
  systemPrompt: z.string(),
  /** The file it was loaded from. */
  source: z.string(),
  /** Problems that did not stop it from loading, such as a tool orchestrate does not have. */
  warnings: z.array(z.string()),
});
export type AgentDefinition = z.infer<typeof AgentDefinition>;
