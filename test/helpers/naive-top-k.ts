// The reference every kernel test compares against: score every row in float64, sort, cut.
import { normalizeRows } from '../../src/core/vectors.ts';

export function naiveTopK(m: Float32Array, dim: number, q: Float32Array, k: number, options: { normalize?: boolean } = {}) {
  const rows = options.normalize ? normalizeRows(new Float32Array(m), dim) : m;
  const query = options.normalize ? normalizeRows(new Float32Array(q), dim) : q;
  const n = m.length / dim;
  return Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += rows[r * dim + j]! * query[j]!;
    return { index: r, score: s };
  })
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, Math.min(k, n));
}
