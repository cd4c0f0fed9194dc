// Mirrors sentence-transformers' util module for people coming from Python:
// normalize_embeddings, cos_sim, dot_score, semantic_search, paraphrase_mining
// (on embeddings) and community_detection, with the same defaults and result
// shapes. Differences: embeddings are row arrays or a row-major Matrix instead
// of tensors, names are camelCase, and ties are broken by lower index.
import { integerArg, numberArg, oneOfArg } from './arguments.ts';
import { createError } from './errors.ts';
import { assertKnownOptions } from './options.ts';
import { createFlatIndex } from './kernel/flat-index.ts';
import { createRowScorer, matrixProduct } from './kernel/matrix-product.ts';
import { toMatrix, type Embeddings, type Matrix } from './matrix.ts';
import { normalizeCheckedRows } from './vectors.ts';

export { toMatrix, type Embeddings, type Matrix } from './matrix.ts';

const SEMANTIC_SEARCH_OPTIONS = ['topK', 'queryChunkSize', 'corpusChunkSize', 'scoreFunction'] as const;
const PARAPHRASE_OPTIONS = ['topK', 'maxPairs'] as const;
const COMMUNITY_OPTIONS = ['threshold', 'minCommunitySize'] as const;

export function normalizeEmbeddings(e: Embeddings): Matrix {
  const m = toMatrix(e);
  return { ...m, data: normalizeCheckedRows(new Float32Array(m.data), m.dim) };
}

/** Cosine similarity of every row of a with every row of b: an a.rows x b.rows Matrix. */
export function cosSim(a: Embeddings, b: Embeddings): Matrix {
  return matrixProduct(normalizeEmbeddings(a), normalizeEmbeddings(b));
}

/** Dot product of every row of a with every row of b. */
export function dotScore(a: Embeddings, b: Embeddings): Matrix {
  return matrixProduct(toMatrix(a), toMatrix(b));
}

export interface SemanticSearchOptions {
  /** Default 10. */
  topK?: number;
  /** Queries scanned together. Default 100. */
  queryChunkSize?: number;
  /** Corpus rows per index. Default 500000. */
  corpusChunkSize?: number;
  /** 'cosSim' (default) or 'dotScore'. */
  scoreFunction?: 'cosSim' | 'dotScore';
}

export interface CorpusHit {
  corpusId: number;
  score: number;
}

/** sentence-transformers' semantic_search: top-k corpus rows per query, best first. */
export function semanticSearch(queries: Embeddings, corpus: Embeddings, options: SemanticSearchOptions = {}): CorpusHit[][] {
  const q = toMatrix(queries, 'queries');
  const c = toMatrix(corpus, 'corpus');
  if (q.dim !== c.dim) throw createError('DIMENSION_MISMATCH', `queries have ${q.dim} dimensions, the corpus ${c.dim}`);
  assertKnownOptions(options, SEMANTIC_SEARCH_OPTIONS, 'semanticSearch');
  const topK = integerArg('semanticSearch', 'topK', options.topK, 10, 0);
  const qChunk = integerArg('semanticSearch', 'queryChunkSize', options.queryChunkSize, 100);
  const cChunk = integerArg('semanticSearch', 'corpusChunkSize', options.corpusChunkSize, 500_000);
  const normalize = oneOfArg('semanticSearch', 'scoreFunction', options.scoreFunction, ['cosSim', 'dotScore'] as const, 'cosSim') === 'cosSim';
  const results: CorpusHit[][] = Array.from({ length: q.rows }, () => []);
  for (let cs = 0; cs < c.rows; cs += cChunk) {
    const rows = Math.min(cChunk, c.rows - cs);
    const index = createFlatIndex({ dimension: c.dim, normalize });
    index.add(c.data.subarray(cs * c.dim, (cs + rows) * c.dim));
    for (let qs = 0; qs < q.rows; qs += qChunk) {
      const n = Math.min(qChunk, q.rows - qs);
      const hits = index.searchBatch(q.data.subarray(qs * q.dim, (qs + n) * q.dim), { k: topK });
      hits.forEach((hs, i) => results[qs + i]!.push(...hs.map((h) => ({ corpusId: h.index + cs, score: h.score }))));
    }
  }
  return results.map((r) => r.sort((a, b) => b.score - a.score || a.corpusId - b.corpusId).slice(0, topK));
}

export interface ParaphraseMiningOptions {
  /** Neighbours considered per sentence. Default 100. */
  topK?: number;
  /** Default 500000. */
  maxPairs?: number;
}

/** sentence-transformers' paraphrase_mining_embeddings: [score, i, j] with i < j, best first. */
export function paraphraseMining(embeddings: Embeddings, options: ParaphraseMiningOptions = {}): [number, number, number][] {
  assertKnownOptions(options, PARAPHRASE_OPTIONS, 'paraphraseMining');
  const topK = integerArg('paraphraseMining', 'topK', options.topK, 100, 0);
  const maxPairs = integerArg('paraphraseMining', 'maxPairs', options.maxPairs, 500_000, 0);
  const m = toMatrix(embeddings);
  const hits = semanticSearch(m, m, { topK: topK + 1 });
  const best = new Map<string, [number, number, number]>();
  hits.forEach((hs, i) => {
    for (const h of hs) {
      if (h.corpusId === i) continue;
      const a = Math.min(i, h.corpusId),
        b = Math.max(i, h.corpusId);
      const key = `${a},${b}`;
      if (!best.has(key)) best.set(key, [h.score, a, b]);
    }
  });
  return [...best.values()].sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]).slice(0, maxPairs);
}

function dotRows(m: Matrix, i: number, j: number): number {
  let s = 0;
  for (let t = 0; t < m.dim; t++) s += m.data[i * m.dim + t]! * m.data[j * m.dim + t]!;
  return s;
}

export interface CommunityDetectionOptions {
  /** Cosine similarity for two rows to count as close. Default 0.75. */
  threshold?: number;
  /** Smallest community returned. Default 10. */
  minCommunitySize?: number;
}

/**
 * sentence-transformers' community_detection: groups of rows that are all close
 * to a central row, largest first, each row in at most one community, each
 * community listed central row first, then by similarity to it.
 */
export function communityDetection(embeddings: Embeddings, options: CommunityDetectionOptions = {}): number[][] {
  assertKnownOptions(options, COMMUNITY_OPTIONS, 'communityDetection');
  const threshold = numberArg('communityDetection', 'threshold', options.threshold, 0.75);
  const minSize = integerArg('communityDetection', 'minCommunitySize', options.minCommunitySize, 10);
  const m = normalizeEmbeddings(embeddings);
  // Each block of rows is scored against every row by the scan kernels; a row is a
  // community's centre when at least minSize rows (itself included) reach the
  // threshold. No top-k heap over all rows: a filter, then a sort of the members only.
  const scorer = createRowScorer(m);
  const block = Math.max(1, Math.min(64, Math.floor(4_000_000 / Math.max(1, m.rows))));
  const scores = new Float32Array(block * m.rows);
  const candidates: number[][] = [];
  for (let s = 0; s < m.rows; s += block) {
    const n = Math.min(block, m.rows - s);
    scorer.score(m.data.subarray(s * m.dim, (s + n) * m.dim), n, scores);
    for (let q = 0; q < n; q++) {
      const row = scores.subarray(q * m.rows, (q + 1) * m.rows);
      const centre = s + q;
      if (row[centre]! < threshold) continue; // a zero row is close to nothing, itself included
      const members: number[] = [];
      for (let j = 0; j < m.rows; j++) if (j !== centre && row[j]! >= threshold) members.push(j);
      if (members.length + 1 < minSize) continue;
      candidates.push([centre, ...members]);
    }
  }
  candidates.sort((a, b) => b.length - a.length);
  const taken = new Uint8Array(m.rows);
  const out: number[][] = [];
  for (const c of candidates) {
    const rest = c.filter((i) => !taken[i]);
    if (rest.length < minSize) continue;
    rest.forEach((i) => (taken[i] = 1));
    // Only the communities kept are put in order: by similarity to the centre, which stays first.
    const centre = c[0]!;
    const score = new Map(rest.map((j) => [j, j === centre ? Infinity : dotRows(m, centre, j)]));
    out.push(rest.sort((a, b) => score.get(b)! - score.get(a)! || a - b));
  }
  return out.sort((a, b) => b.length - a.length);
}
