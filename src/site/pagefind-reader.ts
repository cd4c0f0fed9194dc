// The lexical side on a static site: Pagefind's own runtime (pagefind.js, written by
// `pagesense index` into the index folder), loaded on first use. Its sub-results
// (one per heading) are the lexical ranking, keyed by url#anchor like our passages.
import { retryingOnce } from '../core/promise-cache.ts';
import { parseInertHtml } from '../platform/trusted-types.ts';

export interface LexicalSubResult {
  /** 'guide/lamps.html#fresnel': the page path without the leading slash, and the anchor. */
  key: string;
  url: string;
  pageTitle: string;
  /** The page's image (Pagefind's meta.image), as the page wrote it. */
  pageImage?: string;
  /** The page's other metadata (Pagefind's meta without title and image). */
  pageMeta?: Record<string, string>;
  heading: string;
  /** Pagefind's excerpt as text, with the ranges it marked. */
  excerpt: { text: string; marks: [number, number][] };
}

export interface LexicalResults {
  subs: LexicalSubResult[];
  /** Pages Pagefind matched in all (more than the subs come from when it found many). */
  pagesFound: number;
}

interface PagefindApi {
  options(o: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  search(q: string): Promise<{ results: { data(): Promise<PagefindData> }[] } | null>;
}
interface PagefindData {
  url: string;
  meta: Record<string, string | undefined> & { title?: string; image?: string };
  excerpt: string;
  sub_results?: { title: string; url: string; excerpt: string }[];
}

/** The key both sides share: path without leading slash or index.html, plus the anchor. */
export function resultKey(url: string): string {
  const [path = '', anchor = ''] = url.split('#');
  const clean = path.replace(/^\/+/, '').replace(/(^|\/)index\.html$/, '$1');
  return anchor ? `${clean}#${anchor}` : clean;
}

/** Pagefind's excerpt HTML (escaped text and <mark>) as text and mark ranges, parsed inertly, never inserted. */
export function parseExcerpt(html: string): { text: string; marks: [number, number][] } {
  const doc = parseInertHtml(`<body>${html}</body>`);
  let text = '';
  const marks: [number, number][] = [];
  const walk = (node: Node) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) text += child.textContent ?? '';
      else if ((child as Element).tagName === 'MARK') {
        const start = text.length;
        text += child.textContent ?? '';
        marks.push([start, text.length]);
      } else walk(child);
    }
  };
  walk(doc.body);
  return { text, marks };
}

/** Pagefind's metadata without the fields the result shows otherwise. */
function otherMeta(meta: PagefindData['meta']): { pageMeta?: Record<string, string> } {
  const rest = Object.entries(meta).filter((e): e is [string, string] => typeof e[1] === 'string' && !/^(title|image|image_alt)$/.test(e[0]));
  return rest.length ? { pageMeta: Object.fromEntries(rest) } : {};
}

/** `bundleUrl`: Pagefind's folder; `siteRoot`: the URL the pages' paths are relative to. */
export function createPagefindSide(bundleUrl: string, siteRoot: string) {
  // A failed load is tried again by the next search (a browser may still cache the failed module: the page then needs a reload).
  const load = retryingOnce(() =>
    import(/* @vite-ignore */ new URL('pagefind.js', bundleUrl).href).then(async (m: PagefindApi) => {
      await m.options({ basePath: new URL('.', bundleUrl).pathname, baseUrl: new URL(siteRoot).pathname, excerptLength: 24 });
      await m.init();
      return m;
    }),
  );
  return {
    load,
    /**
     * Sub-results of the first `pages` pages (Pagefind loads each page's data on demand), at most `limit`;
     * `pagesFound` is how many pages Pagefind matched in all.
     */
    async search(query: string, limit = 50, pages = 10): Promise<LexicalResults> {
      const pf = await load();
      const found = await pf.search(query);
      const out: LexicalSubResult[] = [];
      if (!found) return { subs: out, pagesFound: 0 }; // superseded by a newer search
      const done = () => ({ subs: out, pagesFound: found.results.length });
      const data = await Promise.all(found.results.slice(0, pages).map((r) => r.data()));
      for (const page of data) {
        const subs = page.sub_results?.length ? page.sub_results : [{ title: page.meta.title ?? '', url: page.url, excerpt: page.excerpt }];
        for (const s of subs) {
          out.push({
            key: resultKey(s.url),
            url: s.url,
            pageTitle: page.meta.title ?? page.url,
            ...(page.meta.image ? { pageImage: page.meta.image } : {}),
            ...otherMeta(page.meta),
            heading: s.title,
            excerpt: parseExcerpt(s.excerpt),
          });
          if (out.length >= limit) return done();
        }
      }
      return done();
    },
  };
}
