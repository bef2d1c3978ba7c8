import { createHmac } from 'node:crypto';

type Block = Record<string, unknown>;

/**
 * Thinking blocks as the API guards them: each carries a signature over its text, and an
 * assistant turn sent back must hold the thinking blocks the API returned in it, unchanged and
 * in their order (the 5.5 models return thinking between tool calls, so a client that keeps
 * only the first one is refused). The fake server signs what it sends and checks what comes back.
 */
export class ThinkingLedger {
  private readonly key = `fake-thinking-${Math.random()}`;
  /** The thinking blocks of each reply, by the ids of the blocks in it (tool calls, signatures). */
  private readonly issued = new Map<string, Block[]>();

  /** A signature for a thinking text; replies may leave `signature` empty to have one made. */
  sign(thinking: string): string {
    return createHmac('sha256', this.key).update(thinking).digest('base64');
  }

  /** Signs the reply's unsigned thinking blocks and remembers the reply's thinking. */
  issue(content: Block[]): Block[] {
    const signed = content.map((block) =>
      block.type === 'thinking' && !block.signature ? { ...block, signature: this.sign(String(block.thinking ?? '')) } : block,
    );
    const thinking = signed.filter(isThinking);
    if (thinking.length) for (const id of signed.flatMap(idsOf)) this.issued.set(id, thinking);
    return signed;
  }

  /** The API's 400 message for the first assistant turn whose thinking was changed or dropped; undefined when all is intact. */
  check(messages: Array<{ role: string; content: unknown }>): string | undefined {
    for (const [i, message] of messages.entries()) {
      if (message.role !== 'assistant' || !Array.isArray(message.content)) continue;
      const content = message.content as Block[];
      for (const [j, block] of content.entries()) {
        if (block.type === 'thinking' && block.signature !== this.sign(String(block.thinking ?? ''))) {
          return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
        }
      }
      const sent = content.filter(isThinking).map(canonical);
      const replies = new Set(content.flatMap(idsOf).map((id) => this.issued.get(id)).filter((t): t is Block[] => t !== undefined));
      for (const thinking of replies) {
        let at = 0;
        for (const block of thinking) {
          const found = sent.indexOf(canonical(block), at);
          if (found < 0) {
            return `messages.${i}.content: thinking or redacted_thinking blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`;
          }
          at = found + 1;
        }
      }
    }
    return undefined;
  }
}

function isThinking(block: Block): boolean {
  return block.type === 'thinking' || block.type === 'redacted_thinking';
}

/** A thinking block's identity whatever the key order: its kind, text and signature, or its data. */
function canonical(block: Block): string {
  return block.type === 'thinking' ? `t:${String(block.signature)}:${String(block.thinking)}` : `r:${String(block.data)}`;
}

function idsOf(block: Block): string[] {
  if ((block.type === 'tool_use' || block.type === 'server_tool_use') && typeof block.id === 'string') return [block.id];
  if (block.type === 'thinking' && typeof block.signature === 'string') return [`sig:${block.signature}`];
  if (block.type === 'redacted_thinking' && typeof block.data === 'string') return [`red:${block.data}`];
  return [];
}
