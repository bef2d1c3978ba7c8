import type { Source } from '../providers/model.js';

/** The run note the research tools' sources go into. */
export const RESEARCH_NOTE = 'notes/research.md';

const HEADING = '## Sources (from the web search and fetch tools)';

/**
 * The research note with the pages a task's web search and fetch found appended as a list of
 * sources with their URLs: cited ones first, with the passage the reply cited. A note the agent
 * did not write is started; a sources section from an earlier attempt is replaced, not repeated.
 *
 * @example
 * withSources('# Stripe\n', [{ url: 'https://docs.stripe.com/webhooks', title: 'Webhooks', cited: 'Stripe signs...' }]);
 */
export function withSources(note: string | undefined, sources: readonly Source[]): string {
  const body = (note ?? '# Research\n').split(`\n${HEADING}\n`)[0]!.trimEnd();
  const ordered = [...sources.filter((s) => s.cited), ...sources.filter((s) => !s.cited)];
  const lines = ordered.map((s) => {
    const title = (s.title ?? s.url).replace(/[[\]\n]/g, ' ');
    return `- [${title}](${s.url})${s.cited ? `: "${s.cited.replace(/\s+/g, ' ')}"` : ' (found, not cited)'}`;
  });
  return `${body}\n\n${HEADING}\n\n${lines.join('\n')}\n`;
}
