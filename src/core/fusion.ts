// Fusing ranked lists from different retrievers (lexical and vector) into one, so
// each hit says which side found it and where. Two ways, as search engines offer:
// - reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score =
//   sum over lists of weight / (k + rank), rank from 1; k = 60 as in the paper. It
//   needs no score calibration, so it is the default;
// - weighted normalized scores: each list's scores min-max normalized to [0, 1],
//   then summed with weights (a list where every score is equal contributes 1).
// Ties are broken by the best rank a document has in any list, then by id.
import { createError } from './errors.ts';

export interface RankedHit {
  id: string;
  score: number;
}

export interface FusedHit {
  id: string;
  score: number;
  /** One entry per list that returned the document: which list, its rank there (from 1), its score there. */
  sources: { list: number; rank: number; score: number }[];
}

export interface FusionOptions {
  /** 'rrf' (default) or 'weighted' (normalized scores). */
  method?: 'rrf' | 'weighted';
  /** RRF's k. Default 60. */
  k?: number;
  /** Per list. Default 1 each. */
  weights?: readonly number[];
  /** Results returned. Default: every document found. */
  limit?: number;
}

/** Each list best first; a document repeated within a list counts at its first rank. */
export function fuseRankings(lists: readonly (readonly RankedHit[])[], options: FusionOptions = {}): FusedHit[] {
  const method = options.method ?? 'rrf';
  const k = options.k ?? 60;
  const weights = options.weights ?? lists.map(() => 1);
  if (method !== 'rrf' && method !== 'weighted') throw createError('INVALID_ARGUMENT', `fusion method must be "rrf" or "weighted", got ${String(method)}`);
  if (!(k >= 0) || !Number.isFinite(k)) throw createError('INVALID_ARGUMENT', `fusion k must be a finite number >= 0, got ${k}`);
  if (weights.length !== lists.length || weights.some((w) => !(w >= 0) || !Number.isFinite(w))) {
    throw createError('INVALID_ARGUMENT', `fusion weights must be ${lists.length} finite numbers >= 0`);
  }
  const fused = new Map<string, FusedHit>();
  lists.forEach((list, l) => {
    let min = Infinity;
    let max = -Infinity;
    for (const h of list) {
      min = Math.min(min, h.score);
      max = Math.max(max, h.score);
    }
    const seen = new Set<string>();
    list.forEach((h, i) => {
      if (seen.has(h.id)) return;
      seen.add(h.id);
      const rank = i + 1;
      const part = method === 'rrf' ? weights[l]! / (k + rank) : weights[l]! * (max > min ? (h.score - min) / (max - min) : 1);
      const hit = fused.get(h.id) ?? { id: h.id, score: 0, sources: [] };
      hit.score += part;
      hit.sources.push({ list: l, rank, score: h.score });
      fused.set(h.id, hit);
    });
  });
  const bestRank = (h: FusedHit) => Math.min(...h.sources.map((s) => s.rank));
  const out = [...fused.values()].sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return options.limit === undefined ? out : out.slice(0, options.limit);
}
