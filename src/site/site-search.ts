// createSiteSearch(): search over a static site index from the page. The first
// answer is lexical (Pagefind: its runtime and a few index chunks, Pagefind's own
// bytes); the model loads in a worker in the background (warm()), and once it is
// ready every query is hybrid: BGE over the int8 codes, the best candidates
// rescored exactly from their float32 shards, fused with Pagefind's sub-results by
// url#anchor (reciprocal rank fusion), grouped by page.
import { createError, isPagesenseError } from '../core/errors.ts';
import { fuseRankings } from '../core/fusion.ts';
import { createFlatIndex, type FlatIndex } from '../core/kernel/flat-index.ts';
import { rescoreHits } from '../core/kernel/rescore.ts';
import { analyze } from '../core/lexical-analysis.ts';
import type { Progress } from '../core/progress.ts';
import type { SiteManifest } from '../core/site-index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { createWorkerEmbedder } from '../embedding/worker-embedder.ts';
import { createPagefindSide, resultKey, type LexicalSubResult } from './pagefind-side.ts';
import { createSiteIndexReader } from './site-index-reader.ts';
import { markedExcerpt, type Excerpt } from '../core/excerpt.ts';

export interface SiteSearchOptions {
  /** Where `pagesense index` wrote its folder, as served. Default '/pagesense/'. */
  index?: string;
  /** Self-hosted models (`pagesense index --bundle-model` or `fetch-model`). Default '/models/'. */
  localModelPath?: string;
  /** Fetch the model from the Hugging Face Hub when it is not self-hosted. Default true. */
  allowRemoteModels?: boolean;
  /** Model download and state changes. */
  onStatus?: (status: SiteSearchStatus) => void;
}

export interface SiteSearchStatus {
  /** What answers now: 'lexical' until the model is ready, then 'hybrid'. */
  mode: 'lexical' | 'hybrid';
  model: 'idle' | 'loading' | 'ready' | 'unavailable';
  /** While loading: bytes of the model downloaded and expected (0 when unknown). */
  loaded?: number;
  total?: number;
  /** When unavailable: why, and what to do. */
  reason?: string;
}

export interface SiteSubResult {
  /** 'guide/lamps.html#fresnel'. */
  key: string;
  /** Link to the section, resolved against the site. */
  href: string;
  heading: string;
  excerpt: Excerpt;
  foundBy: 'lexical' | 'vector' | 'both';
  /** Cosine of the best passage, when the model found it. */
  cosine?: number;
}

export interface SitePageResult {
  /** Page path, e.g. 'guide/lamps.html'. */
  page: string;
  title: string;
  href: string;
  score: number;
  sub: SiteSubResult[];
}

export interface SiteResults {
  query: string;
  mode: 'lexical' | 'hybrid';
  pages: SitePageResult[];
}

export interface SiteSearch {
  search(query: string, options?: { limit?: number }): Promise<SiteResults>;
  /** Loads the model and the codes in the background; resolves when hybrid search is ready (or cannot be). */
  warm(): Promise<void>;
  readonly status: SiteSearchStatus;
  /** Where the last search spent its time, in ms (embedMs 0 when it was lexical). */
  readonly lastSearch: { embedMs: number; totalMs: number } | undefined;
  /** Bytes fetched from the index folder so far, by kind (Pagefind's and the model's are the browser's to count). */
  readonly fetched: { manifest: number; codes: number; vectors: number; passages: number };
}

/** Candidates from the int8 scan, each rescored from its float32 row (sentence-transformers' 10 x 4). */
const CANDIDATES = 40;
const PREFETCH_DELAY_MS = 1000;

export function createSiteSearch(options: SiteSearchOptions = {}): SiteSearch {
  const reader = createSiteIndexReader(options.index ?? '/pagesense/');
  const siteRoot = new URL('../', reader.base);
  let status: SiteSearchStatus = { mode: 'lexical', model: 'idle' };
  const setStatus = (s: Partial<SiteSearchStatus>) => {
    status = { ...status, ...s };
    options.onStatus?.(status);
  };
  let lexical: ReturnType<typeof createPagefindSide> | undefined;
  const lexicalSide = async () => {
    const m = await reader.manifest();
    if (!m.lexical) return undefined;
    return (lexical ??= createPagefindSide(new URL(m.lexical.path, reader.base).href, siteRoot.href));
  };
  let semantic: { embedder: Embedder; scan: FlatIndex; manifest: SiteManifest } | undefined;
  let warming: Promise<void> | undefined;
  let embedMs = 0;
  let prefetching: ReturnType<typeof setTimeout> | undefined;
  let lastSearch: { embedMs: number; totalMs: number } | undefined;

  const warm = () =>
    (warming ??= (async () => {
      const manifest = await reader.manifest();
      setStatus({ model: 'loading' });
      try {
        const onProgress = (p: Progress) => p.status === 'download' && setStatus({ loaded: p.loaded, total: p.total });
        const [embedder, codes] = await Promise.all([
          createWorkerEmbedder({
            model: manifest.model.id,
            dtype: manifest.model.dtype as never,
            // A bundled model (pagesense index --bundle-model) sits in the index folder: never the Hub then.
            localModelPath: manifest.model.bundled ? new URL(manifest.model.bundled.path, reader.base).pathname : (options.localModelPath ?? '/models/'),
            allowRemoteModels: manifest.model.bundled ? false : (options.allowRemoteModels ?? true),
            onProgress,
          }),
          reader.codes(),
        ]);
        if (embedder.info.dimension !== manifest.model.dimension || embedder.info.pooling !== manifest.model.pooling) {
          await embedder.dispose();
          throw createError('MODEL_MISMATCH', `the index was built with ${manifest.model.id} (${manifest.model.dimension} dims, ${manifest.model.pooling}); the page loaded ${embedder.info.modelId} (${embedder.info.dimension} dims, ${embedder.info.pooling})`);
        }
        const ranges = { min: Float32Array.from(manifest.ranges.min), max: Float32Array.from(manifest.ranges.max) };
        const scan = createFlatIndex({ dimension: manifest.model.dimension, precision: 'int8', ranges, keepFloat: false, normalize: false });
        scan.addCodes(codes);
        semantic = { embedder, scan, manifest };
        setStatus({ mode: 'hybrid', model: 'ready' });
      } catch (err) {
        setStatus({ model: 'unavailable', reason: isPagesenseError(err) ? err.message : String((err as Error)?.message ?? err) });
      }
    })());

  /** The vector side: passages by exact cosine (int8 scan, the best candidates rescored from their float32 rows), one per url#anchor. */
  async function vectorSide(query: string): Promise<{ key: string; index: number; score: number }[]> {
    const { embedder, scan, manifest } = semantic!;
    const dim = manifest.model.dimension;
    const e0 = performance.now();
    const { vectors: q } = await embedder.embed([query], 'query');
    embedMs = performance.now() - e0;
    const [candidates, keys] = [scan.search(q, { k: CANDIDATES, rescore: 1 }), await reader.keys()];
    const rows = await reader.rows(candidates.map((h) => h.index));
    // The first query read only its candidates' rows; the rest of the float32 rows follow
    // a moment later, in the background, so the next queries rescore from memory.
    if (!prefetching) prefetching = setTimeout(() => void reader.prefetchVectors().catch(() => undefined), PREFETCH_DELAY_MS);
    const exact = rescoreHits(q, 0, dim, candidates, rows, (j) => j * dim, candidates.length);
    const seen = new Set<string>();
    const out: { key: string; index: number; score: number }[] = [];
    for (const h of exact) {
      const key = resultKey(keys[h.index]!);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, index: h.index, score: h.score });
    }
    return out;
  }

  return {
    get status() {
      return status;
    },
    fetched: reader.fetched,
    get lastSearch() {
      return lastSearch;
    },
    warm,
    async search(query, opts = {}) {
      const limit = opts.limit ?? 8;
      if (typeof query !== 'string' || !query.trim()) return { query, mode: status.mode, pages: [] };
      const t0 = performance.now();
      embedMs = 0;
      const side = await lexicalSide();
      const useVectors = semantic !== undefined;
      const [lex, vec] = await Promise.all([side ? side.search(query) : Promise.resolve([] as LexicalSubResult[]), useVectors ? vectorSide(query) : Promise.resolve([])]);
      const lists = [lex.map((l, i) => ({ id: l.key, score: 1 / (i + 1) })), vec.map((v) => ({ id: v.key, score: v.score }))].filter((l) => l.length);
      const fused = fuseRankings(lists, { k: 60, limit: limit * 4 });
      const lexByKey = new Map(lex.map((l) => [l.key, l] as const));
      const vecByKey = new Map(vec.map((v) => [v.key, v] as const));
      // Pages in fused order, up to three sections each; only then the passages shown are read.
      const groups = new Map<string, { score: number; keys: string[] }>();
      for (const f of fused) {
        const page = f.id.split('#')[0]!;
        const g = groups.get(page) ?? (groups.size < limit ? { score: f.score, keys: [] } : undefined);
        if (!g) continue;
        groups.set(page, g);
        if (g.keys.length < 3) g.keys.push(f.id);
      }
      const shownKeys = [...groups.values()].flatMap((g) => g.keys);
      const needed = shownKeys.filter((k) => vecByKey.has(k)).map((k) => vecByKey.get(k)!.index);
      const passages = new Map((await reader.passages(needed)).map((p, i) => [needed[i]!, p] as const));
      const terms = new Set(analyze(query));
      const pages: SitePageResult[] = [];
      for (const [page, g] of groups) {
        const sub = g.keys.map((key): SiteSubResult => {
          const l = lexByKey.get(key);
          const v = vecByKey.get(key);
          const p = v ? passages.get(v.index) : undefined;
          return {
            key,
            href: new URL(l?.url.replace(/^\//, '') ?? (p!.anchor ? `${p!.url}#${p!.anchor}` : p!.url), siteRoot).href,
            heading: p ? (p.headingPath.at(-1) ?? p.title) : (l?.heading ?? ''),
            excerpt: l && (!p || l.excerpt.marks.length) ? l.excerpt : markedExcerpt(p!.text, terms),
            foundBy: l && v ? 'both' : v ? 'vector' : 'lexical',
            ...(v ? { cosine: v.score } : {}),
          };
        });
        const first = lexByKey.get(g.keys[0]!);
        const title = first?.pageTitle ?? passages.get(vecByKey.get(g.keys[0]!)?.index ?? -1)?.title ?? page;
        pages.push({ page, title, href: new URL(page, siteRoot).href, score: g.score, sub });
      }
      lastSearch = { embedMs, totalMs: performance.now() - t0 };
      return { query, mode: useVectors ? 'hybrid' : 'lexical', pages };
    },
  };
}
