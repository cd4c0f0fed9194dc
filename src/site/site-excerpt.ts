// A passage's text cut to a snippet around its first matching word, with the ranges
// of the words that match the query's terms (pagesense's lexical analysis). Ranges,
// not HTML: the element renders them as text nodes and <mark> elements.
import { analyze as defaultAnalyze } from '../core/lexical-analysis.ts';

export interface Excerpt {
  text: string;
  marks: [number, number][];
}

const WORD = /[\p{L}\p{N}_]+/gu;

export function markedExcerpt(text: string, terms: ReadonlySet<string>, analyze: (word: string) => string[] = defaultAnalyze, max = 220): Excerpt {
  const hits: [number, number][] = [];
  for (const m of text.matchAll(WORD)) if (analyze(m[0]).some((t) => terms.has(t))) hits.push([m.index, m.index + m[0].length]);
  let start = 0;
  if (text.length > max && hits.length) start = Math.max(0, Math.min(hits[0]![0] - 40, text.length - max));
  const end = Math.min(text.length, start + max);
  const prefix = start > 0 ? '…' : '';
  const marks = hits.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start + prefix.length, e - start + prefix.length] as [number, number]);
  return { text: prefix + text.slice(start, end) + (end < text.length ? '…' : ''), marks };
}

