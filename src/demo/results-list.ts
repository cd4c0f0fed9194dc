// One search's results: title (a link when the document has a url), score, which
// side found it and at what rank, a "why this result" line, and a snippet with the
// query's words marked. All document text goes in through text nodes.
import type { SearchHit } from '../index.ts';
import { el } from './elements.ts';
import { highlightedSnippet, type Excerpter } from './highlight.ts';

function sideLine(h: SearchHit): string {
  const where = [
    h.sources.lexical && `lexical #${h.sources.lexical.rank}`,
    h.sources.vector && `semantic #${h.sources.vector.rank} (cosine ${h.sources.vector.score.toFixed(3)})`,
  ].filter(Boolean);
  return where.join(' · ');
}

function whyLine(h: SearchHit, marked: string[]): string {
  const parts: string[] = [];
  if (h.sources.vector) parts.push(`this passage's meaning is close to the query (cosine ${h.sources.vector.score.toFixed(3)})`);
  if (h.sources.lexical) parts.push(marked.length ? `it shares the words ${marked.map((w) => `“${w}”`).join(', ')}` : 'it shares the query’s words');
  return `Why: ${parts.join(', and ')}.`;
}

export function renderResults(list: HTMLElement, hits: readonly SearchHit[], query: string, excerpt: Excerpter | undefined): void {
  list.replaceChildren(
    ...hits.map((h) => {
      const { node, marked } = highlightedSnippet(h.text, query, excerpt);
      const title = h.title ?? h.id;
      const heading = el('span', { class: 'hit-title' }, title);
      const side = el(
        'span',
        { class: `hit-side side-${h.foundBy}` },
        el('span', { class: 'badge' }, h.foundBy === 'vector' ? 'semantic' : h.foundBy),
        ' ',
        sideLine(h),
      );
      const li = el(
        'li',
        { class: 'hit', role: 'listitem' },
        el('div', { class: 'hit-head' }, heading, el('span', { class: 'hit-score', title: 'score' }, h.score.toFixed(4))),
        side,
        el('p', { class: 'hit-text' }, node),
        el('p', { class: 'hit-why' }, whyLine(h, marked)),
      );
      li.dataset['id'] = h.id;
      return li;
    }),
  );
}
