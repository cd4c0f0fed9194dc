// createSiteSearch(): search over a static site index from the page. The first
// answer needs no model: Pagefind (its runtime and a few index chunks) and, when the
// index has one, the learned-sparse side (a vocabulary and the postings shards of the
// query's tokens), fused. The model loads in a worker in the background (warm()), and
// once it is ready every query is hybrid: BGE over the int8 codes, the best candidates
// rescored exactly from their float32 shards, fused with the other sides by url#anchor
// (reciprocal rank fusion), grouped by page.
import { createError, isPagesenseError } from '../core/errors.ts';
import { fuseRankings } from '../core/fusion.ts';
import { createFlatIndex, type FlatIndex } from '../core/kernel/flat-index.ts';
import { rescoreHits } from '../core/kernel/rescore.ts';
import type { Progress } from '../core/progress.ts';
import type { SiteManifest } from '../core/site-index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { createWorkerEmbedder } from '../embedding/worker-embedder.ts';
import { createPagefindSide, resultKey } from './pagefind-reader.ts';
import { DEFAULT_MODELS_URL } from '../models/model-files.ts';
import { createSiteIndexReader, type SiteIndexReader } from './site-index-reader.ts';
import { pageResults, type PassageHit, type SearchSide, type SitePageResult, type SiteResults } from './site-results.ts';
import { createSparseSide, type SparseSearchSide } from './sparse-side.ts';
import { assertKnownOptions, assertOptionValues, type OptionKind } from '../core/options.ts';
import { integerArg } from '../core/arguments.ts';

export type { PassageHit, SearchSide, SitePageResult, SiteResults, SiteSubResult } from './site-results.ts';

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
  /** Where the last search spent its time, in ms (embedMs 0 when it was lexical; sparseMs: the sparse side from query to ranked keys, 0 without one). */
  readonly lastSearch: { embedMs: number; sparseMs: number; totalMs: number } | undefined;
  /** Bytes fetched from the index folder so far, by kind (Pagefind's and the model's are the browser's to count). */
  readonly fetched: { manifest: number; codes: number; keys: number; vectors: number; passages: number; sparse: number };
}

/** Candidates from the int8 scan, each rescored from its float32 row (sentence-transformers' 10 x 4). */
const CANDIDATES = 40;
const PREFETCH_DELAY_MS = 1000;

interface SemanticSide {
  embedder: Embedder;
  scan: FlatIndex;
  manifest: SiteManifest;
}

/** Ranked passage rows as hits by url#anchor, the best passage of each key only. */
function byKey(hits: readonly { index: number; score: number }[], keys: readonly string[]): PassageHit[] {
  const seen = new Set<string>();
  const out: PassageHit[] = [];
  for (const h of hits) {
    const key = resultKey(keys[h.index]!);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, index: h.index, score: h.score });
  }
  return out;
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
  let sparseMs = 0;
  let prefetching: ReturnType<typeof setTimeout> | undefined;
  let lastSearch: { embedMs: number; sparseMs: number; totalMs: number } | undefined;
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

  let sparseLoad: Promise<SparseSearchSide | undefined> | undefined;
  const sparseSide = () =>
    (sparseLoad ??= reader.manifest().then(
      (m) => (m.sparse ? createSparseSide(reader, m.sparse, m.counts.passages) : undefined),
      (err: unknown) => {
        sparseLoad = undefined;
        throw err;
      },
    ));

  /** The learned-sparse side: passages by query weight × document weight, one per url#anchor. */
  async function sparsePassages(side: SparseSearchSide, query: string, k: number): Promise<PassageHit[]> {
    const s0 = performance.now();
    const [hits, keys] = await Promise.all([side.search(query, k), reader.keys()]);
    const out = byKey(hits, keys);
    sparseMs = performance.now() - s0;
    return out;
  }

  /** The vector side: passages by exact cosine (int8 scan, the best candidates rescored from their float32 rows), one per url#anchor. */
  async function vectorSide(query: string): Promise<PassageHit[]> {
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
    return byKey(rescoreHits(q, 0, dim, candidates, rows, (j) => j * dim, candidates.length), keys);
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
      if (typeof query !== 'string' || !query.trim()) return { query, mode: status.mode, sides: [], pages: [], total: 0 };
      const superseded = (): SiteResults | undefined =>
        opts.signal?.aborted ? { query, mode: status.mode, sides: [], pages: [], total: 0, superseded: true } : undefined;
      const early = superseded();
      if (early) return early;
      const t0 = performance.now();
      embedMs = 0;
      sparseMs = 0;
      const [side, sparse] = await Promise.all([lexicalSide(), sparseSide()]);
      const late = superseded(); // a newer query arrived while Pagefind loaded: the model never sees this one
      if (late) return late;
      const useVectors = semantic !== undefined;
      const notices: string[] = [];
      // A shard that cannot be read (a blip, a half-deployed index) leaves the other sides' answer standing.
      const unavailable = (what: string) => (err: unknown) => {
        notices.push(`${what} results unavailable for this query: ${(err as Error)?.message ?? String(err)}`);
        return undefined;
      };
      const [lexical, sparseHits, vec] = await Promise.all([
        side ? side.search(query, limit * 6, limit + 2) : undefined,
        sparse ? sparsePassages(sparse, query, limit * 6).catch(unavailable('sparse')) : undefined,
        useVectors ? vectorSide(query).catch(unavailable('semantic')) : undefined,
      ]);
      const lex = lexical?.subs ?? [];
      const sides: SearchSide[] = [...(lexical ? ['lexical' as const] : []), ...(sparseHits ? ['sparse' as const] : []), ...(vec ? ['dense' as const] : [])];
      const ranking = (hits: readonly { key: string }[] | undefined) => (hits ?? []).map((h, i) => ({ id: h.key, score: 1 / (i + 1) }));
      const fuse = (...lists: { id: string; score: number }[][]) => fuseRankings(lists.filter((l) => l.length), { k: 60 });
      const fused = fuse(ranking(lex), ranking(sparseHits), ranking(vec));
      // Pages found: those among the candidates, or all Pagefind matched if that is more.
      const total = Math.max(new Set(fused.map((h) => h.id.split('#')[0])).size, lexical?.pagesFound ?? 0);
      let pages: SitePageResult[];
      try {
        pages = await pageResults(reader, siteRoot, query, fused, lex, sparseHits ?? [], vec ?? [], limit);
      } catch (err) {
        if (!sparseHits?.length && !vec?.length) throw err;
        // The passages of the index's own hits could not be read: Pagefind's ranking alone, said so.
        unavailable('semantic')(err);
        sides.splice(0, sides.length, ...(lexical ? ['lexical' as const] : []));
        pages = await pageResults(reader, siteRoot, query, fuse(ranking(lex)), lex, [], [], limit);
      }
      lastSearch = { embedMs, sparseMs, totalMs: performance.now() - t0 };
      const notice = notices.length ? notices.join('; ') : undefined;
      return { query, mode: sides.includes('dense') ? 'hybrid' : 'lexical', sides, pages, total, ...(notice ? { notice } : {}) };
    },
  };
}
