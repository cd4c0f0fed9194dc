// An excerpt (text plus the ranges to mark) as DOM: text nodes and <mark> elements,
// never parsed as HTML, since documents are untrusted. The demo's results and
// <pagesense-search> render every snippet through this one function.
import type { Excerpt } from '../core/excerpt.ts';

export function excerptFragment(e: Excerpt): DocumentFragment {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of e.marks) {
    frag.append(e.text.slice(at, start));
    const mark = document.createElement('mark');
    mark.textContent = e.text.slice(start, end);
    frag.append(mark);
    at = end;
  }
  frag.append(e.text.slice(at));
  return frag;
}
