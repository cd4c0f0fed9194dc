// A result's snippet with the query's words marked, from pagesense/core's
// markedExcerpt (the analysis BM25 searches with), rendered by pagesense's
// excerptFragment (text nodes and <mark>: the text is never parsed as HTML).
import type { MarkedExcerpt } from '../core/index.ts';
import { excerptFragment } from '../index.ts';

/** Cuts and marks a text for a query; undefined until the lexical analysis has loaded. */
export type Excerpter = (text: string, query: string) => MarkedExcerpt;

export function highlightedSnippet(text: string, query: string, excerpt: Excerpter | undefined, max = 320): { node: DocumentFragment; marked: string[] } {
  const e = excerpt ? excerpt(text, query) : { text: text.length > max ? `${text.slice(0, max)}…` : text, marks: [], words: [] };
  return { node: excerptFragment(e), marked: e.words };
}
