import type { Effort } from '../schema/agent.js';
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
  /**
   * The provider's own content blocks of an assistant turn, exactly as it returned them (thinking
   * with its signature, redacted thinking, server tool calls and results, citations). The provider
   * sends them back unchanged instead of rebuilding the turn from `content`.
   */
  raw?: unknown[];
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input. */
  inputSchema: Record<string, unknown>;
  /** Ask the API to guarantee calls match the schema (strict tool use), where the model supports it. */
  strict?: boolean;
}

/** How hard the model should think, for models that take it (`output_config.effort`). */
export type { Effort };

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
  /** The agent's `effort`; providers whose model does not take it leave it out. */
  effort?: Effort;
  /** Server-side research tools (web search and fetch), for providers that have them. */
  research?: ResearchTools;
  context: RequestContext;
}

/** The API's own web search and web fetch tools, bounded. */
export interface ResearchTools {
  /** Most searches and fetches per request. */
  maxUses: number;
  /** Only these hosts are searched and fetched; empty means any. */
  allowedDomains: string[];
}

/**
 * Why the model stopped. `pause_turn`: a server tool paused a long turn, send it back to go on.
 * `model_context_window_exceeded`: the context window filled up while it wrote.
 */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'stop_sequence' | 'pause_turn' | 'model_context_window_exceeded';

/** A web page the model's research found or cited (the API's web search and fetch). */
export interface Source {
  url: string;
  title?: string;
  /** The passage the reply cited from it, when it cited one. */
  cited?: string;
}

export interface ModelResponse {
  content: ContentBlock[];
  /** Pages the reply's server-side research found, fetched or cited. */
  sources?: Source[];
  /** The provider's own blocks, to send back as they are (see {@link Message.raw}). */
  raw?: unknown[];
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
  /** The model's own limits, when the provider knows them: the loop sizes `max_tokens` by them. */
  readonly limits?: { maxOutputTokens: number; contextWindow: number };
  generate(request: ModelRequest, options: GenerateOptions): Promise<ModelResponse>;
}

/** The error code of a request longer than the model's context window: the agent loop clears old tool results and asks again. */
export const CONTEXT_TOO_LONG = 'CONTEXT_TOO_LONG';

export interface GenerateOptions {
  signal: AbortSignal;
  /** Told about each retry of a failed request before the provider waits, for an event and a log line. */
  onRetry?: (retry: RetryNotice) => void;
}

export interface RetryNotice {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** HTTP status, 0 for a connection error. */
  status: number;
  delayMs: number;
  code: string;
  reason: string;
}

/** Chooses the model for an agent: its frontmatter `model` and the run's override. */
export type ModelResolver = (agentModel: string) => Model;
