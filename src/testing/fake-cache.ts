import { createHash } from 'node:crypto';

/** The usage the fake server reports for one request. */
export interface FakeUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface PromptCacheOptions {
  /** @default Date.now */
  now?: () => number;
  /** How long an entry lives after its last use. @default 300_000 (the API's 5 minutes) */
  ttlMs?: number;
  /** Shortest cacheable prefix for a model, in tokens. */
  minTokens: (model: string) => number;
  /** @default 4 */
  charsPerToken?: number;
}

/** How many earlier block boundaries the API checks for a hit before each breakpoint. */
const LOOKBACK_BLOCKS = 20;

interface Segment {
  hash: string;
  tokens: number;
  breakpoint: boolean;
}

/**
 * Prompt caching as the Messages API documents it: the request is read as blocks in the order
 * tools, system, messages; the prefix up to a `cache_control` breakpoint (or a block boundary up
 * to 20 blocks before one) is a cache read when an identical prefix was sent within the TTL;
 * otherwise the prefix up to the last breakpoint is written, when it reaches the model's minimum.
 * Tokens are estimated from characters.
 */
export class PromptCache {
  private readonly entries = new Map<string, number>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly charsPerToken: number;

  constructor(private readonly options: PromptCacheOptions) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? 300_000;
    this.charsPerToken = options.charsPerToken ?? 4;
  }

  /** Usage of one request body, updating the cache as the API would. */
  account(body: { model: string; tools?: unknown[]; system?: unknown; messages: Array<{ content: unknown }> }): FakeUsage {
    const segments = this.segments(body);
    const total = segments.at(-1)?.tokens ?? 0;
    const min = this.options.minTokens(body.model);
    const now = this.now();
    const breakpoints = segments.flatMap((segment, i) => (segment.breakpoint ? [i] : []));
    let readAt = -1;
    for (const bp of [...breakpoints].reverse()) {
      for (let i = bp; i >= Math.max(0, bp - LOOKBACK_BLOCKS) && i > readAt; i--) {
        const expires = this.entries.get(segments[i]!.hash);
        if (expires !== undefined && expires > now) {
          readAt = i;
          break;
        }
      }
      if (readAt >= 0) break;
    }
    const read = readAt >= 0 ? segments[readAt]!.tokens : 0;
    if (readAt >= 0) this.entries.set(segments[readAt]!.hash, now + this.ttlMs);
    let written = read;
    for (const bp of breakpoints) {
      if (bp <= readAt || segments[bp]!.tokens < min) continue;
      this.entries.set(segments[bp]!.hash, now + this.ttlMs);
      written = segments[bp]!.tokens;
    }
    return { input_tokens: total - written, cache_read_input_tokens: read, cache_creation_input_tokens: written - read };
  }

  /** The whole request's size in tokens, as the cache estimates it. */
  tokens(body: { model: string; tools?: unknown[]; system?: unknown; messages: Array<{ content: unknown }> }): number {
    return this.segments(body).at(-1)?.tokens ?? 0;
  }

  private segments(body: { model: string; tools?: unknown[]; system?: unknown; messages: Array<{ content: unknown }> }): Segment[] {
    const blocks: unknown[] = [...(body.tools ?? [])];
    if (typeof body.system === 'string') blocks.push({ type: 'text', text: body.system });
    else if (Array.isArray(body.system)) blocks.push(...body.system);
    for (const message of body.messages) {
      if (typeof message.content === 'string') blocks.push({ type: 'text', text: message.content });
      else if (Array.isArray(message.content)) blocks.push(...message.content);
    }
    const segments: Segment[] = [];
    let hash = createHash('sha256').update(body.model).digest('hex');
    let chars = 0;
    for (const block of blocks) {
      const { cache_control: cacheControl, ...rest } = block as { cache_control?: unknown };
      const text = JSON.stringify(rest);
      hash = createHash('sha256').update(hash).update(text).digest('hex');
      chars += textLength(rest);
      segments.push({ hash, tokens: Math.ceil(chars / this.charsPerToken), breakpoint: cacheControl !== undefined && cacheControl !== null });
    }
    return segments;
  }
}

/** The characters a block contributes: its text, or its JSON when it has no text. */
function textLength(block: Record<string, unknown>): number {
  if (typeof block.text === 'string') return block.text.length;
  if (typeof block.content === 'string') return block.content.length;
  if (block.type === 'tool_use') return JSON.stringify(block.input ?? {}).length + String(block.name).length;
  return JSON.stringify(block).length;
}
