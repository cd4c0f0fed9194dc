// Snippets with the query's words marked. A word is marked when pagesense's lexical
// analysis (the one BM25 searches with: NFKC, identifier split, stop words, Porter
// stemming) maps it to one of the query's terms, so "proofing" lights up for "proof".
// Built from text nodes and <mark> elements: the text is never parsed as HTML.
type Analyze = (text: string) => string[];

const WORD = /[\p{L}\p{N}_]+/gu;

/** The part of `text` around its first marked word, at most `max` characters. */
function window(text: string, firstMatch: number, max: number): [number, number] {
  if (text.length <= max) return [0, text.length];
  const start = Math.max(0, Math.min(firstMatch - Math.floor(max / 3), text.length - max));
  return [start, start + max];
}

export function highlightedSnippet(text: string, query: string, analyze: Analyze | undefined, max = 320): { node: DocumentFragment; marked: string[] } {
  const terms = new Set(analyze ? analyze(query) : []);
  const matches: [number, number][] = [];
  const marked = new Set<string>();
  if (terms.size) {
    for (const m of text.matchAll(WORD)) {
      if (analyze!(m[0]).some((t) => terms.has(t))) {
        matches.push([m.index, m.index + m[0].length]);
        marked.add(m[0].toLowerCase());
      }
    }
  }
  const [from, to] = window(text, matches[0]?.[0] ?? 0, max);
  const frag = document.createDocumentFragment();
  let at = from;
  if (from > 0) frag.append('…');
  for (const [s, e] of matches) {
    if (s < from || e > to) continue;
    frag.append(text.slice(at, s));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(s, e);
    frag.append(mark);
    at = e;
  }
  frag.append(text.slice(at, to));
  if (to < text.length) frag.append('…');
  return { node: frag, marked: [...marked] };
}
