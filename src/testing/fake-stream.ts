import type { ServerResponse } from 'node:http';

/** A whole Messages API message, as the fake server answers it. */
export interface FakeMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<Record<string, unknown>>;
  stop_reason: string;
  stop_sequence: null;
  usage: Record<string, unknown> & { output_tokens: number };
}

/**
 * Writes a message as the server-sent events the Messages API streams (`stream: true`), the
 * sequence the SDK's `MessageStream` accumulates: `message_start`, then per block
 * `content_block_start`, its deltas (`text_delta`, `thinking_delta` + `signature_delta`,
 * `input_json_delta`, `citations_delta`) and `content_block_stop`, then `message_delta` with the stop reason and
 * the output tokens, and `message_stop`. When the reply was cut at `max_tokens` in the middle of
 * a tool call, that call's input JSON is sent only in part, as the API does.
 */
export function writeMessageStream(res: ServerResponse, message: FakeMessage, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const { output_tokens: outputTokens, ...inputUsage } = message.usage;
  send('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...inputUsage, output_tokens: 1 } } });
  message.content.forEach((block, index) => {
    const last = index === message.content.length - 1;
    const cut = last && message.stop_reason === 'max_tokens';
    for (const event of blockEvents(block, cut)) send(event.type, { index, ...event.data });
  });
  send('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
  send('message_stop', {});
  res.end();
}

function blockEvents(block: Record<string, unknown>, cut: boolean): Array<{ type: string; data: Record<string, unknown> }> {
  const start = (contentBlock: Record<string, unknown>) => ({ type: 'content_block_start', data: { content_block: contentBlock } });
  const delta = (d: Record<string, unknown>) => ({ type: 'content_block_delta', data: { delta: d } });
  const stop = { type: 'content_block_stop', data: {} };
  switch (block.type) {
    case 'text': {
      const text = String(block.text ?? '');
      const { text: _text, citations, ...rest } = block;
      // Citations arrive one `citations_delta` each, after the text they belong to.
      const cited = Array.isArray(citations) ? citations.map((citation: unknown) => delta({ type: 'citations_delta', citation })) : [];
      return [start({ ...rest, text: '', ...(Array.isArray(citations) ? { citations: [] } : {}) }), ...halves(text).map((part) => delta({ type: 'text_delta', text: part })), ...cited, stop];
    }
    case 'thinking':
      return [
        start({ type: 'thinking', thinking: '', signature: '' }),
        ...halves(String(block.thinking ?? '')).map((part) => delta({ type: 'thinking_delta', thinking: part })),
        delta({ type: 'signature_delta', signature: block.signature }),
        stop,
      ];
    case 'tool_use':
    case 'server_tool_use': {
      const json = JSON.stringify(block.input ?? {});
      const sent = cut ? json.slice(0, Math.floor(json.length / 2)) : json;
      return [start({ ...block, input: {} }), ...halves(sent).map((part) => delta({ type: 'input_json_delta', partial_json: part })), stop];
    }
    default:
      // Blocks that arrive whole: redacted thinking, server tool results.
      return [start(block), stop];
  }
}

/** A string in two pieces, so the client has to join deltas; empty pieces are left out. */
function halves(text: string): string[] {
  const middle = Math.ceil(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)].filter((part) => part.length > 0);
}
