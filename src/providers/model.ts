import type { Usage } from '../schema/usage.js';

/**
 * The model interface every provider speaks: the Anthropic Messages shape, kept small and
 * versioned. Only `providers/anthropic/` maps it onto the SDK; the offline model answers it
 * directly, so the agent loop, tools, staging and expertise code are the same for both.
 */
export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; toolUseId: string; content: string; isError: boolean };

export interface Message {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input. */
  inputSchema: Record<string, unknown>;
}

/** Who is asking: lets a provider attribute usage, and lets the offline model play the role. */
export interface RequestContext {
  runId: string;
  workflow: string;
  task: string;
  agent: string;
  inputs: Readonly<Record<string, unknown>>;
  /** Name of the result schema the task's finish call must satisfy. */
  resultSchema: string;
  /** Results of the tasks this one needs. */
  needs: Readonly<Record<string, unknown>>;
  /** The expertise excerpt given to the agent, parsed. */
  expertise: ExpertiseContext;
}

export interface ExpertiseContext {
  /** Catalog entry for the service the run is about, when there is one. */
  catalogEntry?: Record<string, unknown>;
  learnings: Array<{ insight: string; context?: string; seen?: number }>;
  conventions: string[];
}

export interface ModelRequest {
  /** The stable part first (agent prompt, expertise, workflow context): it is what caches. */
  system: string[];
  messages: Message[];
  tools: ToolSpec[];
  maxTokens: number;
  context: RequestContext;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'stop_sequence';

export interface ModelResponse {
  content: ContentBlock[];
  stopReason: StopReason;
  usage: Usage;
  /** The concrete model id that answered. */
  model: string;
}

export interface Model {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  /** Model id or alias as configured; the response names the concrete one. */
  readonly modelId: string;
  generate(request: ModelRequest, options: { signal: AbortSignal }): Promise<ModelResponse>;
}

/** Chooses the model for an agent: its frontmatter `model` and the run's override. */
export type ModelResolver = (agentModel: string) => Model;
