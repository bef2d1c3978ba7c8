import type Anthropic from '@anthropic-ai/sdk';
import type { Source } from '../model.js';

/** Longest cited passage kept for the research note. */
const MAX_CITED_CHARS = 300;

/**
 * The web pages a reply's server-side research touched, each URL once: the results of its web
 * searches and fetches, and the citations on its text blocks (a cited page keeps the passage).
 * Citations without a URL (a document's character range) are left out.
 */
export function sourcesOf(content: readonly Anthropic.Messages.ContentBlock[]): Source[] {
  const byUrl = new Map<string, Source>();
  const add = (url: unknown, title: unknown, cited?: unknown) => {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return;
    const known = byUrl.get(url) ?? { url };
    if (!known.title && typeof title === 'string' && title) known.title = title;
    if (!known.cited && typeof cited === 'string' && cited) known.cited = cited.length > MAX_CITED_CHARS ? `${cited.slice(0, MAX_CITED_CHARS)}...` : cited;
    byUrl.set(url, known);
  };
  for (const block of content as unknown as ReadonlyArray<Record<string, unknown>>) {
    if (block.type === 'web_search_tool_result' && Array.isArray(block.content)) {
      for (const result of block.content as Array<Record<string, unknown>>) add(result.url, result.title);
    } else if (block.type === 'web_fetch_tool_result' && block.content && typeof block.content === 'object') {
      const fetched = block.content as { url?: unknown; content?: { title?: unknown } };
      add(fetched.url, fetched.content?.title);
    } else if (block.type === 'text' && Array.isArray(block.citations)) {
      for (const citation of block.citations as Array<Record<string, unknown>>) add(citation.url, citation.title, citation.cited_text);
    }
  }
  return [...byUrl.values()];
}
