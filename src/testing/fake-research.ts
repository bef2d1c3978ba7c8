import type { ApiContentBlock, ApiMessagesBody } from './fake-anthropic-server.js';

export interface FakeSearchResult {
  url: string;
  title: string;
  /** The passage a reply cites from this page; pages without one are found but not cited. */
  cited?: string;
}

let searches = 0;

/**
 * A reply's web search as the API returns it: the `server_tool_use` the server ran, its
 * `web_search_tool_result` with the pages, and a text block citing them
 * (`web_search_result_location` citations with URL, title and the cited passage).
 *
 * @example
 * const reply = { content: [...webSearchBlocks('stripe webhook signature', [{ url: 'https://docs.stripe.com/webhooks', title: 'Webhooks', cited: 'Stripe signs each event' }]), finishCall] };
 */
export function webSearchBlocks(query: string, results: readonly FakeSearchResult[], answer = 'According to the documentation:'): ApiContentBlock[] {
  const id = `srvtoolu_fake_${++searches}`;
  const citations = results
    .filter((r) => r.cited)
    .map((r) => ({ type: 'web_search_result_location', url: r.url, title: r.title, encrypted_index: `enc_${id}`, cited_text: r.cited }));
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query } },
    {
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: results.map((r) => ({ type: 'web_search_result', url: r.url, title: r.title, encrypted_content: `enc_${r.url}`, page_age: null })),
    },
    { type: 'text', text: answer, ...(citations.length ? { citations } : {}) },
  ];
}

/** What the server's own tools did in one reply, for `usage.server_tool_use`. */
export interface ServerToolUse {
  web_search_requests: number;
  web_fetch_requests: number;
}

/**
 * Holds a scripted reply's server-tool blocks to what the request allowed, as the API does: a
 * search or fetch the request did not offer is the responder's mistake (an Error), pages outside
 * the tool's `allowed_domains` are dropped with the citations to them, and uses beyond
 * `max_uses` get the API's `max_uses_exceeded` error instead of results.
 */
export function applyServerTools(body: ApiMessagesBody, content: ApiContentBlock[]): { content: ApiContentBlock[]; used: ServerToolUse } {
  const offered = new Map((body.tools ?? []).filter((t) => typeof t.type === 'string' && t.type !== 'custom').map((t) => [t.name, t]));
  const used: ServerToolUse = { web_search_requests: 0, web_fetch_requests: 0 };
  const toolOf = new Map<string, string>();
  const over = new Set<string>();
  const dropped = new Set<string>();
  const out: ApiContentBlock[] = [];
  for (const block of content) {
    if (block.type === 'server_tool_use') {
      const tool = offered.get(block.name);
      if (!tool) throw new Error(`the reply uses the server tool "${block.name}", which the request did not offer`);
      const key = block.name === 'web_fetch' ? 'web_fetch_requests' : 'web_search_requests';
      const max = typeof tool.max_uses === 'number' ? tool.max_uses : Infinity;
      if (used[key] >= max) over.add(block.id);
      else used[key]++;
      toolOf.set(block.id, block.name);
      out.push(block);
    } else if (block.type === 'web_search_tool_result' || block.type === 'web_fetch_tool_result') {
      const name = toolOf.get(block.tool_use_id);
      if (!name) throw new Error(`a ${block.type} answers no server_tool_use before it (${block.tool_use_id})`);
      if (over.has(block.tool_use_id)) {
        // Not run: what it would have found is not there to cite.
        const found = Array.isArray(block.content) ? (block.content as Array<{ url?: unknown }>) : [block.content as { url?: unknown }];
        for (const r of found) if (r?.url !== undefined) dropped.add(String(r.url));
        out.push({ ...block, content: { type: `${block.type}_error`, error_code: 'max_uses_exceeded' } });
        continue;
      }
      const allowed = offered.get(name)!.allowed_domains as string[] | undefined;
      const keep = (url: unknown) => !allowed || allowed.some((domain) => within(String(url), domain));
      if (Array.isArray(block.content)) {
        const results = block.content as Array<{ url?: unknown }>;
        for (const r of results) if (!keep(r.url)) dropped.add(String(r.url));
        out.push({ ...block, content: results.filter((r) => keep(r.url)) });
      } else {
        const url = (block.content as { url?: unknown } | undefined)?.url;
        if (url !== undefined && !keep(url)) {
          dropped.add(String(url));
          out.push({ ...block, content: { type: `${block.type}_error`, error_code: 'url_not_allowed' } });
        } else out.push(block);
      }
    } else if (block.type === 'text' && block.citations) {
      const citations = block.citations.filter((c) => !dropped.has(String(c.url)));
      const { citations: _all, ...rest } = block;
      out.push(citations.length ? { ...rest, citations } : rest);
    } else out.push(block);
  }
  return { content: out, used };
}

/** A URL on the domain or one of its subdomains. */
function within(url: string, domain: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    const bare = domain.toLowerCase().replace(/\/.*$/, '');
    return host === bare || host.endsWith(`.${bare}`);
  } catch {
    return false;
  }
}
