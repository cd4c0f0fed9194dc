// A passage's sparse vector from its MLM logits: max over the real (unpadded)
// positions, the model's activation, special tokens zeroed, then pruned. The max is
// taken before the activation, which is the same since every activation here is
// monotone and zero below zero: one pass over positions × vocabulary, then a second
// over the vocabulary only.
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
  for (let p = 0; p < length; p++) {
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
  const top =
    kept.length > pruning.topTerms
      ? kept
          .sort((a, b) => max[b]! - max[a]! || a - b)
          .slice(0, pruning.topTerms)
          .sort((a, b) => a - b)
      : kept;
  return { ids: Uint32Array.from(top), weights: Float32Array.from(top, (v) => max[v]!) };
}
