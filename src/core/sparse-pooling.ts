// A passage's sparse vector from its MLM logits: max over the real (unpadded)
// positions, the model's activation, special tokens zeroed, then pruned. The max is
// taken before the activation, which is the same since every activation here is
// monotone and zero below zero: one pass over positions × vocabulary, then a second
// over the vocabulary only.
import { TopKHeap } from './kernel/top-k-heap.ts';
import { activate, type SparseActivation, type SparsePruning } from './sparse-index.ts';

export interface SparseVector {
  /** Vocabulary ids, ascending. */
  ids: Uint32Array;
  weights: Float32Array;
}

/**
 * `logits` holds [positions, vocab] floats from `offset`; `length` positions are real.
 * `zero`: ids that never carry weight (the tokenizer's special tokens).
 */
export function poolSparse(
  logits: Float32Array,
  offset: number,
  length: number,
  vocab: number,
  activation: SparseActivation,
  zero: readonly number[],
  pruning: SparsePruning,
  max: Float32Array = new Float32Array(vocab),
): SparseVector {
  max.fill(0);
  // Four positions per pass over the vocabulary: a quarter of the loads and stores of
  // `max`, which is what the pass costs beside the logits themselves (1.5x faster).
  let p = 0;
  for (; p + 4 <= length; p += 4) {
    const r0 = offset + p * vocab;
    const r1 = r0 + vocab;
    const r2 = r1 + vocab;
    const r3 = r2 + vocab;
    for (let v = 0; v < vocab; v++) {
      let m = max[v]!;
      const x0 = logits[r0 + v]!;
      const x1 = logits[r1 + v]!;
      const x2 = logits[r2 + v]!;
      const x3 = logits[r3 + v]!;
      if (x0 > m) m = x0;
      if (x1 > m) m = x1;
      if (x2 > m) m = x2;
      if (x3 > m) m = x3;
      max[v] = m;
    }
  }
  for (; p < length; p++) {
    const row = offset + p * vocab;
    for (let v = 0; v < vocab; v++) {
      const x = logits[row + v]!;
      if (x > max[v]!) max[v] = x;
    }
  }
  for (const id of zero) max[id] = 0;
  const kept: number[] = [];
  for (let v = 0; v < vocab; v++) {
    if (max[v]! <= 0) continue;
    const w = activate(activation, max[v]!);
    max[v] = w;
    if (w > 0 && w >= pruning.minWeight) kept.push(v);
  }
  let top = kept;
  if (kept.length > pruning.topTerms) {
    const best = new TopKHeap(pruning.topTerms);
    for (const v of kept) best.push(max[v]!, v);
    top = best
      .sorted()
      .map((h) => h.index)
      .sort((a, b) => a - b);
  }
  return { ids: Uint32Array.from(top), weights: Float32Array.from(top, (v) => max[v]!) };
}
