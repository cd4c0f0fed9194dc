// Passage-major sparse vectors turned token-major, as the index stores them: each
// weight as a byte over one scale (the largest weight / 255), rows ascending, and the
// tokens no query can weigh (query weight 0 or none: the special tokens) left out.
// The writer shards this; the eval harness scores it directly, so both see the
// weights the page sees.
import type { SparseVector } from './sparse-pooling.ts';
import type { TokenPostings } from './sparse-postings.ts';

export interface InvertedSparse {
  weightScale: number;
  tokens: Map<string, TokenPostings>;
  postings: number;
}

export function invertSparse(vectors: readonly SparseVector[], vocabulary: readonly string[], queryWeights: ReadonlyMap<string, number>): InvertedSparse {
  let max = 0;
  for (const v of vectors) for (const w of v.weights) max = Math.max(max, w);
  const weightScale = max > 0 ? max / 255 : 1;
  const rows = new Map<number, number[]>();
  const weights = new Map<number, number[]>();
  vectors.forEach((v, row) => {
    v.ids.forEach((id, i) => {
      const q = Math.round(v.weights[i]! / weightScale);
      if (q === 0 || !((queryWeights.get(vocabulary[id]!) ?? 0) > 0)) return;
      if (!rows.has(id)) {
        rows.set(id, []);
        weights.set(id, []);
      }
      rows.get(id)!.push(row);
      weights.get(id)!.push(q);
    });
  });
  const tokens = new Map<string, TokenPostings>();
  let postings = 0;
  for (const [id, r] of rows) {
    const token = vocabulary[id]!;
    postings += r.length;
    tokens.set(token, { queryWeight: queryWeights.get(token)!, rows: Uint32Array.from(r), weights: Uint8Array.from(weights.get(id)!) });
  }
  return { weightScale, tokens, postings };
}
