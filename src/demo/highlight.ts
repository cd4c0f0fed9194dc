// A result's snippet with the query's words marked, from pagesense/core's
// markedExcerpt (the analysis BM25 searches with), built from text nodes and <mark>
// elements: the text is never parsed as HTML.
import type { MarkedExcerpt } from '../core/index.ts';

/** Cuts and marks a text for a query; undefined until the lexical analysis has loaded. */
export type Excerpter = (text: string, query: string) => MarkedExcerpt;

export function highlightedSnippet(text: string, query: string, excerpt: Excerpter | undefined, max = 320): { node: DocumentFragment; marked: string[] } {
  const e = excerpt ? excerpt(text, query) : { text: text.length > max ? `${text.slice(0, max)}…` : text, marks: [], words: [] };
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [s, end] of e.marks) {
    frag.append(e.text.slice(at, s));
    const mark = document.createElement('mark');
    mark.textContent = e.text.slice(s, end);
    frag.append(mark);
    at = end;
  }
  frag.append(e.text.slice(at));
  return { node: frag, marked: e.words };
}
