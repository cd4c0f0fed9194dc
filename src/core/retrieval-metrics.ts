// Retrieval metrics with trec_eval's definitions (the ones pytrec_eval, and so BEIR,
// report), for measuring a model or a setting on a labelled set:
// - a run is ranked by score, best first; equal scores are ordered by document id,
//   descending, as trec_eval orders them;
// - a document is relevant when its judged grade is > 0; unjudged documents count 0;
// - NDCG@k uses the grades as gains (not 2^grade - 1) and log2(rank + 1) discounts;
//   the ideal ranking sorts every judged grade;
// - Recall@k = relevant retrieved in the top k / all relevant;
// - MAP@k = the sum of precision at each relevant rank within k, / all relevant;
// - MRR@k = 1 / the rank of the first relevant document within k (0 if none).
// A query whose judgments hold no relevant document scores nothing and is left out
// of the means (trec_eval gives it 0 on every measure, which only dilutes them);
// `skipped` says how many were.
import { createError } from './errors.ts';

/** Judgments: query id -> document id -> grade (0 = not relevant). */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface ScoredDocument {
  id: string;
  score: number;
}

export interface QueryMetrics {
  ndcg: number;
  mrr: number;
  recall: number;
  map: number;
}

export interface MetricCutoffs {
  ndcgAt?: number;
  mrrAt?: number;
  recallAt?: number;
  mapAt?: number;
}

/** Orders a run as trec_eval does: score descending, then document id descending. */
export function rankRun(docs: readonly ScoredDocument[]): string[] {
  return [...docs].sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((d) => d.id);
}

/** The four measures for one query's ranked ids against its judgments; undefined when none is relevant. */
export function queryMetrics(ranked: readonly string[], judged: ReadonlyMap<string, number>, cut: MetricCutoffs = {}): QueryMetrics | undefined {
  const { ndcgAt = 10, mrrAt = 10, recallAt = 100, mapAt = 100 } = cut;
  for (const k of [ndcgAt, mrrAt, recallAt, mapAt]) {
    if (!Number.isInteger(k) || k < 1) throw createError('INVALID_ARGUMENT', `metric cutoffs must be integers >= 1, got ${k}`);
  }
  const relevant = [...judged.values()].filter((g) => g > 0).length;
  if (relevant === 0) return undefined;
  const grade = (id: string) => Math.max(0, judged.get(id) ?? 0);
  const seen = new Set<string>();
  const run = ranked.filter((id) => !seen.has(id) && (seen.add(id), true)); // a document counts once, where it first appears

  let dcg = 0;
  for (let i = 0; i < Math.min(ndcgAt, run.length); i++) dcg += grade(run[i]!) / Math.log2(i + 2);
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(ndcgAt, ideal.length); i++) idcg += ideal[i]! / Math.log2(i + 2);

  const first = run.slice(0, mrrAt).findIndex((id) => grade(id) > 0);
  const recall = run.slice(0, recallAt).filter((id) => grade(id) > 0).length / relevant;
  let hits = 0;
  let precisionSum = 0;
  run.slice(0, mapAt).forEach((id, i) => {
    if (grade(id) > 0) precisionSum += ++hits / (i + 1);
  });
  return { ndcg: dcg / idcg, mrr: first < 0 ? 0 : 1 / (first + 1), recall, map: precisionSum / relevant };
}

export interface MeanMetrics extends QueryMetrics {
  /** Queries averaged over. */
  queries: number;
  /** Queries left out: no relevant document in their judgments. */
  skipped: number;
}

/** Means over the judged queries; a judged query missing from the run scores 0 on every measure. */
export function meanMetrics(run: ReadonlyMap<string, readonly string[]>, qrels: Qrels, cut: MetricCutoffs = {}): MeanMetrics {
  const sum = { ndcg: 0, mrr: 0, recall: 0, map: 0 };
  let queries = 0;
  let skipped = 0;
  for (const [q, judged] of qrels) {
    const m = queryMetrics(run.get(q) ?? [], judged, cut);
    if (!m) {
      skipped++;
      continue;
    }
    queries++;
    sum.ndcg += m.ndcg;
    sum.mrr += m.mrr;
    sum.recall += m.recall;
    sum.map += m.map;
  }
  const mean = (x: number) => (queries ? x / queries : 0);
  return { ndcg: mean(sum.ndcg), mrr: mean(sum.mrr), recall: mean(sum.recall), map: mean(sum.map), queries, skipped };
}
