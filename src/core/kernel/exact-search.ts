// Exact top-k by dot product over a row-major Float32Array (N x d). On
// L2-normalized rows the dot product is the cosine similarity.
import { createError } from '../errors.ts';
import { TopKHeap, type Hit } from './top-k-heap.ts';

export function dotTopK(matrix: Float32Array, dim: number, query: Float32Array, k: number): Hit[] {
  if (query.length !== dim) {
    throw createError('DIMENSION_MISMATCH', `query has ${query.length} dimensions, the index has ${dim}`, { expected: dim, got: query.length });
  }
  const n = Math.floor(matrix.length / dim);
  const heap = new TopKHeap(Math.min(Math.max(0, Math.floor(k)), n));
  for (let r = 0, base = 0; r < n; r++, base += dim) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    let j = 0;
    for (; j + 3 < dim; j += 4) {
      s0 += matrix[base + j]! * query[j]!;
      s1 += matrix[base + j + 1]! * query[j + 1]!;
      s2 += matrix[base + j + 2]! * query[j + 2]!;
      s3 += matrix[base + j + 3]! * query[j + 3]!;
    }
    for (; j < dim; j++) s0 += matrix[base + j]! * query[j]!;
    const score = s0 + s1 + (s2 + s3);
    if (score >= heap.threshold) heap.push(score, r);
  }
  return heap.sorted();
}
