// Scores passages for a learned-sparse query: each distinct query token once, its
// fixed query weight times each passage's weight for it, summed. No model: the whole
// query side is a tokenizer and a lookup.
import { TopKHeap } from './kernel/top-k-heap.ts';
import type { TokenPostings } from './sparse-postings.ts';

export interface SparseHit {
  /** Passage row. */
  index: number;
  score: number;
}

/** The query's distinct tokens, first occurrence order (a token counts once, as OpenSearch's query side does). */
export function queryTokens(tokens: readonly string[], specials: readonly string[] = []): string[] {
  const skip = new Set(specials);
  return [...new Set(tokens)].filter((t) => !skip.has(t));
}

/**
 * The best `k` passages by the sum of query weight × document weight over the query's
 * tokens (`postings` holds the shards' entries for those tokens; a token absent from
 * every passage scores nothing). Ties keep the lower row first.
 */
export function scoreSparse(
  tokens: readonly string[],
  postings: ReadonlyMap<string, TokenPostings>,
  passages: number,
  weightScale: number,
  k: number,
): SparseHit[] {
  const scores = new Float32Array(passages);
  const touched: number[] = [];
  for (const t of tokens) {
    const p = postings.get(t);
    if (!p || p.queryWeight === 0) continue;
    const q = p.queryWeight * weightScale;
    for (let i = 0; i < p.rows.length; i++) {
      const r = p.rows[i]!;
      if (scores[r] === 0) touched.push(r);
      scores[r] = scores[r]! + q * p.weights[i]!;
    }
  }
  const best = new TopKHeap(k);
  for (const r of touched) if (scores[r]! > 0) best.push(scores[r]!, r);
  return best.sorted();
}
