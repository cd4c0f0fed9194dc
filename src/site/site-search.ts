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
import { createPagefindSide, resultKey, type LexicalSubResult } from './pagefind-reader.ts';
import { DEFAULT_MODELS_URL } from '../models/model-files.ts';
import { groupByPage } from './page-groups.ts';
import { createSiteIndexReader, type SiteIndexReader } from './site-index-reader.ts';
import { markedExcerpt, withoutLeadingHeading, type Excerpt } from '../core/excerpt.ts';
import { assertKnownOptions, assertOptionValues, type OptionKind } from '../core/options.ts';
import { integerArg } from '../core/arguments.ts';

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

/** Every option createSiteSearch takes, with the kind of value each must have. */
export const SITE_SEARCH_OPTION_KINDS: Readonly<Record<keyof SiteSearchOptions, OptionKind>> = {
  index: 'string',
  localModelPath: 'string',
  allowRemoteModels: 'boolean',
  onStatus: 'function',
};
export const SITE_SEARCH_OPTIONS = Object.keys(SITE_SEARCH_OPTION_KINDS) as readonly (keyof SiteSearchOptions)[];

export interface SiteSearchStatus {
  /** What answers now: 'lexical' until the model is ready, then 'hybrid'. */
  mode: 'lexical' | 'hybrid';
  model: 'idle' | 'loading' | 'ready' | 'unavailable';
  /** While loading: bytes of the model's files downloaded and expected so far, summed over its files (0 when unknown). */
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
  /** The page's image (data-pagesense-image, Pagefind's image meta or og:image), resolved against the page; same-origin only. */
  image?: string;
  /** The page's metadata (data-pagesense-meta or data-pagefind-meta: author, date, …), when the lexical side found it. */
  meta?: Record<string, string>;
  score: number;
  sub: SiteSubResult[];
}

export interface SiteResults {
  query: string;
  mode: 'lexical' | 'hybrid';
  pages: SitePageResult[];
  /** Pages found in all (at least pages.length): ask again with a larger `limit` for more. */
  total: number;
  /** Set when a side could not answer (a shard that failed to load): the results are the other side's. */
  notice?: string;
  /** True when the search's signal was aborted before it reached the model: no pages, nothing embedded. */
  superseded?: boolean;
}

export interface SiteSearchCallOptions {
  /** Pages returned. Default 8. */
  limit?: number;
  /** Abort when a newer query supersedes this one: it then skips the model and resolves with `superseded: true`. */
  signal?: AbortSignal;
}

export interface SiteSearch {
  /** Pages for a query (`limit`: pages returned, default 8), each with up to three sections. */
  search(query: string, options?: SiteSearchCallOptions): Promise<SiteResults>;
  /**
   * Loads the model and the codes in the background; resolves when hybrid search is
   * ready, or cannot be (status says why). Never rejects; after a failure the next
   * call tries again.
   */
  warm(): Promise<void>;
  /** Ends the model's worker; a later warm() starts a new one. */
  dispose(): Promise<void>;
  /** Queries embedded so far (superseded ones never are). */
  readonly queriesEmbedded: number;
  readonly status: SiteSearchStatus;
  /** Where the last search spent its time, in ms (embedMs 0 when it was lexical). */
  readonly lastSearch: { embedMs: number; totalMs: number } | undefined;
  /** Bytes fetched from the index folder so far, by kind (Pagefind's and the model's are the browser's to count). */
  readonly fetched: { manifest: number; codes: number; vectors: number; passages: number };
}

/** Candidates from the int8 scan, each rescored from its float32 row (sentence-transformers' 10 x 4). */
const CANDIDATES = 40;
const PREFETCH_DELAY_MS = 1000;

interface SemanticSide {
  embedder: Embedder;
  scan: FlatIndex;
  manifest: SiteManifest;
}

interface VectorHit {
  key: string;
  index: number;
  score: number;
}

/** Loads the model the manifest names (bundled beside the index, else self-hosted, else the Hub) and the int8 codes. */
async function loadSemanticSide(reader: SiteIndexReader, options: SiteSearchOptions, onProgress: (p: Progress) => void): Promise<SemanticSide> {
  const manifest = await reader.manifest();
  const [embedder, codes] = await Promise.all([
    createWorkerEmbedder({
      model: manifest.model.id,
      dtype: manifest.model.dtype,
      // A bundled model (pagesense index --bundle-model) sits in the index folder: never the Hub then.
      localModelPath: manifest.model.bundled ? new URL(manifest.model.bundled.path, reader.base).pathname : (options.localModelPath ?? DEFAULT_MODELS_URL),
      allowRemoteModels: manifest.model.bundled ? false : (options.allowRemoteModels ?? true),
      onProgress,
    }),
    reader.codes(),
  ]);
  if (embedder.info.dimension !== manifest.model.dimension || embedder.info.pooling !== manifest.model.pooling) {
    await embedder.dispose();
    throw createError(
      'MODEL_MISMATCH',
      `the index was built with ${manifest.model.id} (${manifest.model.dimension} dims, ${manifest.model.pooling}); the page loaded ${embedder.info.modelId} (${embedder.info.dimension} dims, ${embedder.info.pooling})`,
    );
  }
  const ranges = { min: Float32Array.from(manifest.ranges.min), max: Float32Array.from(manifest.ranges.max) };
  const scan = createFlatIndex({ dimension: manifest.model.dimension, precision: 'int8', ranges, keepFloat: false, normalize: false });
  scan.addCodes(codes);
  return { embedder, scan, manifest };
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

/** The page results for fused keys: groups by page, then reads only the passages of the sections shown. */
async function pageResults(
  reader: SiteIndexReader,
  siteRoot: URL,
  query: string,
  fused: readonly { id: string; score: number }[],
  lex: readonly LexicalSubResult[],
  vec: readonly VectorHit[],
  limit: number,
): Promise<SitePageResult[]> {
  const lexByKey = new Map(lex.map((l) => [l.key, l] as const));
  const vecByKey = new Map(vec.map((v) => [v.key, v] as const));
  const groups = groupByPage(fused, { pages: limit });
  const needed = groups.flatMap((g) => g.keys.filter((k) => vecByKey.has(k)).map((k) => vecByKey.get(k)!.index));
  const passages = new Map((await reader.passages(needed)).map((p, i) => [needed[i]!, p] as const));
  const terms = new Set(analyze(query));
  return groups.map((g) => {
    const sub = g.keys.map((key): SiteSubResult => {
      const l = lexByKey.get(key);
      const v = vecByKey.get(key);
      const p = v ? passages.get(v.index) : undefined;
      return {
        key,
        // resultKey is also the path as static hosts serve it: 'docs/x/index.html' is 'docs/x/'.
        href: new URL(resultKey(l?.url ?? (p!.anchor ? `${p!.url}#${p!.anchor}` : p!.url)), siteRoot).href,
        heading: p ? (p.headingPath.at(-1) ?? p.title) : (l?.heading ?? ''),
        excerpt: withoutLeadingHeading(l && (!p || l.excerpt.marks.length) ? l.excerpt : markedExcerpt(p!.text, terms), p ? (p.headingPath.at(-1) ?? '') : (l?.heading ?? '')),
        foundBy: l && v ? 'both' : v ? 'vector' : 'lexical',
        ...(v ? { cosine: v.score } : {}),
      };
    });
    const first = lexByKey.get(g.keys[0]!);
    const title = first?.pageTitle ?? passages.get(vecByKey.get(g.keys[0]!)?.index ?? -1)?.title ?? g.page;
    const href = new URL(resultKey(g.page), siteRoot).href;
    const image = sameOriginImage(g.keys.map((k) => lexByKey.get(k)?.pageImage).find(Boolean), new URL(g.page, siteRoot));
    const meta = g.keys.map((k) => lexByKey.get(k)?.pageMeta).find(Boolean);
    return { page: g.page, title, href, ...(image ? { image } : {}), ...(meta ? { meta } : {}), score: g.score, sub };
  });
}

export function createSiteSearch(options: SiteSearchOptions = {}): SiteSearch {
  assertKnownOptions(options, SITE_SEARCH_OPTIONS, 'createSiteSearch');
  assertOptionValues(options, SITE_SEARCH_OPTION_KINDS, 'createSiteSearch');
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
  let semantic: SemanticSide | undefined;
  let warming: Promise<void> | undefined;
  let embedMs = 0;
  let prefetching: ReturnType<typeof setTimeout> | undefined;
  let lastSearch: { embedMs: number; totalMs: number } | undefined;
  let queriesEmbedded = 0;

  const warm = () =>
    (warming ??= (async () => {
      setStatus({ model: 'loading' });
      try {
        // Bytes over all the model's files, so the figure does not restart with each file.
        const files = new Map<string, { loaded: number; total: number }>();
        semantic = await loadSemanticSide(reader, options, (p) => {
          if (p.status !== 'download') return;
          files.set(p.file, { loaded: p.loaded, total: p.total });
          let loaded = 0;
          let total = 0;
          for (const f of files.values()) {
            loaded += f.loaded;
            total += f.total;
          }
          setStatus({ loaded, total });
        });
        setStatus({ mode: 'hybrid', model: 'ready' });
      } catch (err) {
        setStatus({ model: 'unavailable', reason: isPagesenseError(err) ? err.message : String((err as Error)?.message ?? err) });
        warming = undefined; // a network blip is not forever: the next focus or query tries again
      }
    })());

  /** The vector side: passages by exact cosine (int8 scan, the best candidates rescored from their float32 rows), one per url#anchor. */
  async function vectorSide(query: string): Promise<VectorHit[]> {
    const { embedder, scan, manifest } = semantic!;
    const dim = manifest.model.dimension;
    const e0 = performance.now();
    queriesEmbedded++;
    const { vectors: q } = await embedder.embed([query], 'query');
    embedMs = performance.now() - e0;
    const [candidates, keys] = [scan.search(q, { k: CANDIDATES, rescore: 1 }), await reader.keys()];
    const rows = await reader.rows(candidates.map((h) => h.index));
    // The first query read only its candidates' rows; the rest of the float32 rows follow
    // a moment later, in the background, so the next queries rescore from memory.
    if (!prefetching) prefetching = setTimeout(() => void reader.prefetchVectors().catch(() => undefined), PREFETCH_DELAY_MS);
    const exact = rescoreHits(q, 0, dim, candidates, rows, (j) => j * dim, candidates.length);
    const seen = new Set<string>();
    const out: VectorHit[] = [];
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
    get queriesEmbedded() {
      return queriesEmbedded;
    },
    warm,
    async dispose() {
      clearTimeout(prefetching);
      const side = semantic;
      semantic = undefined;
      warming = undefined;
      setStatus({ mode: 'lexical', model: 'idle' });
      await side?.embedder.dispose();
    },
    async search(query, opts = {}) {
      assertKnownOptions(opts, ['limit', 'signal'], 'search');
      const limit = integerArg('search', 'limit', opts.limit, 8);
      if (typeof query !== 'string' || !query.trim()) return { query, mode: status.mode, pages: [], total: 0 };
      const superseded = (): SiteResults | undefined => (opts.signal?.aborted ? { query, mode: status.mode, pages: [], total: 0, superseded: true } : undefined);
      const early = superseded();
      if (early) return early;
      const t0 = performance.now();
      embedMs = 0;
      const side = await lexicalSide();
      const late = superseded(); // a newer query arrived while Pagefind loaded: the model never sees this one
      if (late) return late;
      const useVectors = semantic !== undefined;
      let notice: string | undefined;
      // A vector shard that cannot be read (a blip, a half-deployed index) leaves the lexical answer standing.
      const vectors = useVectors
        ? vectorSide(query).catch((err: unknown) => {
            notice = `semantic results unavailable for this query: ${(err as Error)?.message ?? String(err)}`;
            return [] as VectorHit[];
          })
        : Promise.resolve([] as VectorHit[]);
      const [{ subs: lex, pagesFound }, vec] = await Promise.all([
        side ? side.search(query, limit * 6, limit + 2) : Promise.resolve({ subs: [] as LexicalSubResult[], pagesFound: 0 }),
        vectors,
      ]);
      const lexRanking = lex.map((l, i) => ({ id: l.key, score: 1 / (i + 1) }));
      const fuse = (vecRanking: { id: string; score: number }[]) => fuseRankings([lexRanking, vecRanking].filter((l) => l.length), { k: 60 });
      const fused = fuse(vec.map((v) => ({ id: v.key, score: v.score })));
      // Pages found: those among the candidates, or all Pagefind matched if that is more.
      const total = Math.max(new Set(fused.map((h) => h.id.split('#')[0])).size, pagesFound);
      let pages: SitePageResult[];
      try {
        pages = await pageResults(reader, siteRoot, query, fused, lex, vec, limit);
      } catch (err) {
        if (!vec.length) throw err;
        // The passages of the semantic hits could not be read: the lexical ranking alone, said so.
        notice = `semantic results unavailable for this query: ${(err as Error)?.message ?? String(err)}`;
        pages = await pageResults(reader, siteRoot, query, fuse([]), lex, [], limit);
      }
      lastSearch = { embedMs, totalMs: performance.now() - t0 };
      return { query, mode: useVectors && !notice ? 'hybrid' : 'lexical', pages, total, ...(notice ? { notice } : {}) };
    },
  };
}
