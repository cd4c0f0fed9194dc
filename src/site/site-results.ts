// What a site search answers, and how fused passage keys become it: grouped by page,
// the passages of the sections shown read from their shards, each section's link,
// heading and excerpt, and which sides found it.
import { markedExcerpt, withoutLeadingHeading, type Excerpt } from '../core/excerpt.ts';
import { analyze } from '../core/lexical-analysis.ts';
import { groupByPage } from './page-groups.ts';
import { resultKey, type LexicalSubResult } from './pagefind-reader.ts';
import type { SiteIndexReader } from './site-index-reader.ts';

/** The three ways a site search finds a section: Pagefind's words, the learned-sparse index, the dense model. */
export type SearchSide = 'lexical' | 'sparse' | 'dense';

export interface SiteSubResult {
  /** 'guide/lamps.html#fresnel'. */
  key: string;
  /** Link to the section, resolved against the site. */
  href: string;
  heading: string;
  excerpt: Excerpt;
  /** 'both' when more than one side found it ('vector' is the dense model). */
  foundBy: 'lexical' | 'sparse' | 'vector' | 'both';
  /** The sides that found it. */
  sides: SearchSide[];
  /** Cosine of the best passage, when the model found it. */
  cosine?: number;
}

export interface SitePageResult {
  /** Page path, e.g. 'guide/lamps.html'. */
  page: string;
  title: string;
  href: string;
  /** The page's image (data-pagesense-image, Pagefind's image meta or og:image), resolved against the page; same-origin only. */
  image?: string;
  /** The page's metadata (data-pagesense-meta or data-pagefind-meta: author, date, …), when the lexical side found it. */
  meta?: Record<string, string>;
  score: number;
  sub: SiteSubResult[];
}

export interface SiteResults {
  query: string;
  /** 'hybrid' once the dense model answered; 'lexical' before (with or without the sparse side). */
  mode: 'lexical' | 'hybrid';
  /** The sides that answered this query (lexical, sparse, dense), in that order. */
  sides: SearchSide[];
  pages: SitePageResult[];
  /** Pages found in all (at least pages.length): ask again with a larger `limit` for more. */
  total: number;
  /** Set when a side could not answer (a shard that failed to load): the results are the other side's. */
  notice?: string;
  /** True when the search's signal was aborted before it reached the model: no pages, nothing embedded. */
  superseded?: boolean;
}

/** An image URL on the site's own origin (nothing leaves the page's origin), else undefined. */
function sameOriginImage(src: string | undefined, page: URL): string | undefined {
  if (!src) return undefined;
  try {
    const url = new URL(src, page);
    return url.origin === page.origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A passage one of the index's own sides (sparse or dense) found, by its url#anchor key and row. */
export interface PassageHit {
  key: string;
  index: number;
  score: number;
}

/** The page results for fused keys: groups by page, then reads only the passages of the sections shown. */
export async function pageResults(
  reader: SiteIndexReader,
  siteRoot: URL,
  query: string,
  fused: readonly { id: string; score: number }[],
  lex: readonly LexicalSubResult[],
  sparse: readonly PassageHit[],
  vec: readonly PassageHit[],
  limit: number,
): Promise<SitePageResult[]> {
  const lexByKey = new Map(lex.map((l) => [l.key, l] as const));
  const vecByKey = new Map(vec.map((v) => [v.key, v] as const));
  const sparseByKey = new Map(sparse.map((v) => [v.key, v] as const));
  const rowOf = (key: string) => (vecByKey.get(key) ?? sparseByKey.get(key))?.index;
  const groups = groupByPage(fused, { pages: limit });
  // Pagefind already gave the sections it found a heading and an excerpt: passages are read for the others only.
  const needed = groups.flatMap((g) => g.keys.filter((k) => !lexByKey.has(k)).map(rowOf).filter((i): i is number => i !== undefined));
  const passages = new Map((await reader.passages(needed)).map((p, i) => [needed[i]!, p] as const));
  const terms = new Set(analyze(query));
  return groups.map((g) => {
    const sub = g.keys.map((key): SiteSubResult => {
      const l = lexByKey.get(key);
      const v = vecByKey.get(key);
      const row = rowOf(key);
      const p = row !== undefined ? passages.get(row) : undefined;
      const sides: SearchSide[] = [...(l ? ['lexical' as const] : []), ...(sparseByKey.has(key) ? ['sparse' as const] : []), ...(v ? ['dense' as const] : [])];
      return {
        key,
        // resultKey is also the path as static hosts serve it: 'docs/x/index.html' is 'docs/x/'.
        href: new URL(resultKey(l?.url ?? (p!.anchor ? `${p!.url}#${p!.anchor}` : p!.url)), siteRoot).href,
        heading: p ? (p.headingPath.at(-1) ?? p.title) : (l?.heading ?? ''),
        excerpt: withoutLeadingHeading(l && (!p || l.excerpt.marks.length) ? l.excerpt : markedExcerpt(p!.text, terms), p ? (p.headingPath.at(-1) ?? '') : (l?.heading ?? '')),
        foundBy: sides.length > 1 ? 'both' : v ? 'vector' : l ? 'lexical' : 'sparse',
        sides,
        ...(v ? { cosine: v.score } : {}),
      };
    });
    const first = lexByKey.get(g.keys[0]!);
    const title = first?.pageTitle ?? passages.get(rowOf(g.keys[0]!) ?? -1)?.title ?? g.page;
    const href = new URL(resultKey(g.page), siteRoot).href;
    const image = sameOriginImage(g.keys.map((k) => lexByKey.get(k)?.pageImage).find(Boolean), new URL(g.page, siteRoot));
    const meta = g.keys.map((k) => lexByKey.get(k)?.pageMeta).find(Boolean);
    return { page: g.page, title, href, ...(image ? { image } : {}), ...(meta ? { meta } : {}), score: g.score, sub };
  });
}
