// One search: the vector side (exact scan, int8 candidates re-ranked from float rows),
// the lexical side (BM25), or both fused by reciprocal rank fusion (core/fusion.ts).
// Each hit says which side found it and at what rank. Only the documents shown are
// read from the store.
import { integerArg, oneOfArg } from '../core/arguments.ts';
import { createError } from '../core/errors.ts';
import { fuseRankings, type RankedHit } from '../core/fusion.ts';
import { rescoreHits } from '../core/kernel/rescore.ts';
import type { Hit } from '../core/kernel/top-k-heap.ts';
import { assertKnownOptions } from '../core/options.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { StoredDocument, VectorStore } from '../storage/vector-store.ts';
import type { CollectionScan } from './collection-scan.ts';
import type { LexicalSide } from './lexical-side.ts';
import type { SearchHit, SearchMode, SearchOptions, SearchTimings } from './search-types.ts';

export interface SearchContext {
  embedder: Embedder;
  store: VectorStore;
  name: string;
  scan: CollectionScan;
  lexical: LexicalSide;
  rescore: number;
  maxTextLength: number;
  /** Where the last search spent its time (set by runSearch). */
  timings?: SearchTimings;
}

const MODES: readonly SearchMode[] = ['hybrid', 'vector', 'lexical'];
const now = () => performance.now();
/** Candidates each side hands the fusion: enough that a document either side ranks well is in the list. */
const FUSION_DEPTH = 50;

export async function runSearch(ctx: SearchContext, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  assertKnownOptions(options, ['k', 'mode', 'rrfK'], 'search');
  const k = integerArg('search', 'k', options.k, 10);
  const mode = oneOfArg('search', 'mode', options.mode, MODES, 'hybrid');
  if (typeof query !== 'string' || query.trim() === '') throw createError('EMPTY_TEXT', 'the query is empty');
  if (query.length > ctx.maxTextLength) throw createError('TEXT_TOO_LONG', `the query has ${query.length} characters (limit ${ctx.maxTextLength})`);
  if (ctx.embedder.info.unavailable && mode === 'vector') {
    throw createError('MODEL_UNAVAILABLE', `search: vector mode needs the model, which could not be loaded: ${ctx.embedder.info.unavailable}`);
  }
  const t0 = now();
  const timings: SearchTimings = { embedMs: 0, scanMs: 0, rescoreMs: 0, lexicalMs: 0, fetchMs: 0, totalMs: 0 };
  if (ctx.scan.size === 0) return [];
  // Without a model, hybrid search is the lexical side alone.
  const sides = ctx.embedder.info.unavailable ? 'lexical' : mode;
  const depth = mode === 'hybrid' ? Math.max(k, FUSION_DEPTH) : k;
  const [vector, lexical] = await Promise.all([
    sides === 'lexical' ? undefined : vectorSide(ctx, query, depth, timings),
    sides === 'vector'
      ? undefined
      : ctx.lexical.ready().then((index) => {
          const l0 = now();
          const hits = index.search(query, depth);
          timings.lexicalMs = now() - l0;
          return hits;
        }),
  ]);
  const lists = [vector?.ranked, lexical].filter((l): l is RankedHit[] => !!l);
  const fused = fuseRankings(lists, { k: options.rrfK ?? 60, limit: k });
  // Where each side's list sits in `lists`, to name the side a source came from.
  const sideOf = (list: number): 'vector' | 'lexical' => (vector && list === 0 ? 'vector' : 'lexical');
  const shown = fused.map((h) => h.id);
  const rowOf = new Map(vector?.hits.map((h) => [ctx.scan.idAt(h.index), h] as const) ?? []);
  const hintRows = shown.map((id) => rowOf.get(id) ?? { index: -1, score: 0 });
  const f0 = now();
  const docs = await ctx.store.getDocuments(ctx.name, shown, ctx.scan.hints(hintRows));
  timings.fetchMs = now() - f0;
  timings.totalMs = now() - t0;
  ctx.timings = timings;
  return fused.flatMap((h, i) => {
    const d = docs[i];
    if (!d) return [];
    const sources: SearchHit['sources'] = {};
    for (const s of h.sources) sources[sideOf(s.list)] = { rank: s.rank, score: s.score };
    const foundBy = sources.vector && sources.lexical ? 'both' : sources.vector ? 'vector' : 'lexical';
    // A single side keeps its own score (cosine, BM25); a fused list its RRF score.
    const score = lists.length === 1 ? h.sources[0]!.score : h.score;
    return [toHit(d, score, foundBy, sources)];
  });
}

/** The vector side's best `depth` rows, exactly scored, as ranked ids. */
async function vectorSide(ctx: SearchContext, query: string, depth: number, timings: SearchTimings): Promise<{ hits: Hit[]; ranked: RankedHit[] }> {
  const { scan, store, name } = ctx;
  const e0 = now();
  const { vectors } = await ctx.embedder.embed([query], 'query');
  const s0 = now();
  timings.embedMs = s0 - e0;
  const index = scan.index;
  const dim = index.dimension;
  let hits = index.search(vectors, { k: index.precision === 'float32' ? depth : Math.ceil(depth * ctx.rescore) });
  const r0 = now();
  timings.scanMs = r0 - s0;
  if (index.precision !== 'float32' && ctx.rescore > 1) {
    // Exact re-ranking from the candidates' float32 rows, read from storage (the scan keeps codes only).
    const rows = await store.getVectors(
      name,
      hits.map((h) => scan.idAt(h.index)),
      scan.hints(hits),
    );
    hits = rescoreHits(vectors, 0, dim, hits, rows, (i) => i * dim, depth);
    timings.rescoreMs = now() - r0;
  } else {
    hits = hits.slice(0, depth);
  }
  return { hits, ranked: hits.map((h) => ({ id: scan.idAt(h.index), score: h.score })) };
}

function toHit(d: StoredDocument, score: number, foundBy: SearchHit['foundBy'], sources: SearchHit['sources']): SearchHit {
  const hit: SearchHit = { id: d.id, score, text: d.text, foundBy, sources };
  if (d.title !== undefined) hit.title = d.title;
  if (d.url !== undefined) hit.url = d.url;
  if (d.meta !== undefined) hit.meta = d.meta;
  return hit;
}
