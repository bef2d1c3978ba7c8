import type { ContentBlock, Message, ModelResponse } from '../providers/model.js';

/** How a task's conversation is kept inside the context window. */
export interface ContextPolicy {
  /**
   * Old tool results are cleared when the conversation's estimated size passes this many tokens,
   * down to half of it, so clearing (which costs a cache write) happens seldom. @default 60_000
   */
  triggerTokens: number;
  /** The most recent tool results are always kept whole. @default 4 */
  keepResults: number;
}

export const DEFAULT_CONTEXT_POLICY: ContextPolicy = { triggerTokens: 60_000, keepResults: 4 };

/** The tools whose identical repeated call, with an identical result, is answered by pointing at the earlier one. */
const READ_ONLY = new Set(['read_file', 'list_files', 'search']);
const CHARS_PER_TOKEN = 4;

export interface Compaction {
  cleared: number;
  tokensBefore: number;
  tokensAfter: number;
}

type ToolUse = Extract<ContentBlock, { type: 'tool_use' }>;

/**
 * A task's conversation with the model, and what keeps it small: old tool results cleared once it
 * grows past the policy's threshold (what the API's `clear_tool_uses` context edit does
 * server-side), and repeated identical reads answered by a pointer to the earlier result.
 *
 * Why here and not the API's context editing: that is a beta of `client.beta.messages` only, SDK
 * 1.12 offers compaction only inside its own tool runner (the loop is ours: finish protocol, loop
 * detection, sandboxed tools), and clearing in the loop works the same for every provider, the
 * offline model and `--replay` included. Assistant turns are never edited, so thinking blocks and
 * their signatures go back exactly as they came.
 */
export class Conversation {
  readonly messages: Message[];
  private readonly calls = new Map<string, ToolUse>();
  private readonly cleared = new Set<string>();
  /** Read-only call (name and input) -> the id and text of its last result. */
  private readonly reads = new Map<string, { id: string; text: string }>();

  constructor(
    prompt: string,
    private readonly policy: ContextPolicy = DEFAULT_CONTEXT_POLICY,
  ) {
    this.messages = [{ role: 'user', content: [{ type: 'text', text: prompt }] }];
  }

  /** Adds an assistant turn; a turn that continues a paused one (`pause_turn`) is joined to it. */
  addAssistant(reply: Pick<ModelResponse, 'content' | 'raw'>): void {
    for (const block of reply.content) if (block.type === 'tool_use') this.calls.set(block.id, block);
    const last = this.messages.at(-1);
    if (last?.role === 'assistant') {
      last.content.push(...reply.content);
      if (last.raw || reply.raw) last.raw = [...(last.raw ?? []), ...(reply.raw ?? [])];
      return;
    }
    this.messages.push({ role: 'assistant', content: [...reply.content], ...(reply.raw ? { raw: [...reply.raw] } : {}) });
  }

  addUser(content: ContentBlock[]): void {
    this.messages.push({ role: 'user', content });
  }

  /** The last turn was paused by the API and must be sent back as it is to go on. */
  get paused(): boolean {
    return this.messages.at(-1)?.role === 'assistant';
  }

  /**
   * The text to hand back for a tool call: for a read-only call identical to an earlier one whose
   * result is unchanged and still in the conversation, a pointer to it instead of the same text again.
   */
  resultText(call: ToolUse, text: string): string {
    if (!READ_ONLY.has(call.name)) return text;
    const key = `${call.name}:${JSON.stringify(call.input)}`;
    const earlier = this.reads.get(key);
    if (earlier && earlier.text === text && !this.cleared.has(earlier.id)) {
      return `(unchanged: identical to the result of your earlier ${call.name} call with the same input, still above in this conversation)`;
    }
    this.reads.set(key, { id: call.id, text });
    return text;
  }

  /** The conversation's size in tokens, estimated from its characters. */
  tokens(): number {
    let chars = 0;
    for (const message of this.messages) {
      if (message.raw) chars += JSON.stringify(message.raw).length;
      else for (const block of message.content) chars += blockChars(block);
    }
    return Math.ceil(chars / CHARS_PER_TOKEN);
  }

  /** Clears old tool results when the conversation is past the threshold; undefined when nothing was done. */
  compactIfLarge(): Compaction | undefined {
    if (this.tokens() <= this.policy.triggerTokens) return undefined;
    return this.clear(this.policy.keepResults, this.policy.triggerTokens / 2);
  }

  /** After the API said the prompt is too long: clears every tool result the model has seen but the last. */
  compactForWindow(): Compaction {
    return this.clear(1, 0);
  }

  private clear(keep: number, target: number): Compaction {
    const tokensBefore = this.tokens();
    // The newest results have not been seen by the model yet: they are never cleared.
    const seen = this.messages.slice(0, this.messages.at(-1)?.role === 'user' ? -1 : undefined);
    const results = seen.flatMap((message) =>
      message.role === 'user' ? message.content.filter((block): block is Extract<ContentBlock, { type: 'tool_result' }> => block.type === 'tool_result') : [],
    );
    const candidates = results.slice(0, Math.max(0, results.length - keep)).filter((block) => !this.cleared.has(block.toolUseId));
    let cleared = 0;
    for (const block of candidates) {
      if (this.tokens() <= target) break;
      const call = this.calls.get(block.toolUseId);
      block.content = `(cleared to keep the conversation inside the context window: this ${call?.name ?? 'tool'} result of ${block.content.length} characters was removed; call the tool again if you still need it)`;
      this.cleared.add(block.toolUseId);
      cleared++;
    }
    return { cleared, tokensBefore, tokensAfter: this.tokens() };
  }
}

function blockChars(block: ContentBlock): number {
  if (block.type === 'text') return block.text.length;
  if (block.type === 'tool_result') return block.content.length;
  return block.name.length + JSON.stringify(block.input ?? {}).length;
}
