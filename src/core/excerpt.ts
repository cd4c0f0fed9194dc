// A text cut to a snippet around its first matching word, with the ranges of the
// words that match the query's terms under pagesense's lexical analysis (the one BM25
// searches with: "proofing" matches "proof"). Ranges, not HTML: a page renders them
// as text nodes and <mark> elements, since the text is untrusted.
import { analyze } from './lexical-analysis.ts';

export interface Excerpt {
  text: string;
  /** [start, end) character ranges of `text` to mark. */
  marks: [number, number][];
}

export interface MarkedExcerpt extends Excerpt {
  /** Every matching word of the whole text, lower-cased, once each. */
  words: string[];
}

export interface ExcerptOptions {
  /** Longest snippet in characters (an ellipsis marks each cut). Default 220. */
  max?: number;
  /** Characters kept before the first match when the text is cut. Default 40. */
  lead?: number;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** `terms`: the query's analyzed terms, e.g. new Set(analyze(query)). */
export function markedExcerpt(text: string, terms: ReadonlySet<string>, options: ExcerptOptions = {}): MarkedExcerpt {
  const max = options.max ?? 220;
  const lead = options.lead ?? 40;
  const hits: [number, number][] = [];
  const words = new Set<string>();
  if (terms.size) {
    for (const m of text.matchAll(WORD)) {
      if (!analyze(m[0]).some((t) => terms.has(t))) continue;
      hits.push([m.index, m.index + m[0].length]);
      words.add(m[0].toLowerCase());
    }
  }
  const start = text.length > max ? Math.max(0, Math.min((hits[0]?.[0] ?? 0) - lead, text.length - max)) : 0;
  const end = Math.min(text.length, start + max);
  const prefix = start > 0 ? '…' : '';
  const marks = hits.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start + prefix.length, e - start + prefix.length] as [number, number]);
  return { text: prefix + text.slice(start, end) + (end < text.length ? '…' : ''), marks, words: [...words] };
}

/**
 * The excerpt without a leading `heading` (passages start with their heading so both
 * sides index it; under that heading a reader needs it once). Marks shift with the text.
 */
export function withoutLeadingHeading(excerpt: Excerpt, heading: string): Excerpt {
  const h = heading.trim();
  if (!h || !excerpt.text.toLowerCase().startsWith(h.toLowerCase())) return excerpt;
  const rest = excerpt.text.slice(h.length);
  const cut = h.length + (rest.length - rest.replace(/^[\s.:;,—–-]+/, '').length);
  if (cut >= excerpt.text.length) return excerpt;
  const marks = excerpt.marks.filter(([, e]) => e > cut).map(([s, e]): [number, number] => [Math.max(s, cut) - cut, e - cut]);
  return { text: excerpt.text.slice(cut), marks };
}
