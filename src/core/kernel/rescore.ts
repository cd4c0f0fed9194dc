// Exact re-ranking of candidates from a quantized scan: the k best by the
// float32 dot product, ties to the lower index like every other ranking here.
import { TopKHeap, type Hit } from './top-k-heap.ts';

/**
 * `rows` holds the candidates' float32 rows; `rowAt(i)` is where candidate i's
 * row starts in it. `query` starts at `queryAt`.
 */
export function rescoreHits(
  query: Float32Array,
  queryAt: number,
  dim: number,
  candidates: readonly Hit[],
  rows: Float32Array,
  rowAt: (i: number) => number,
  k: number,
): Hit[] {
  const best = new TopKHeap(k);
  candidates.forEach((c, i) => {
    const base = rowAt(i);
    let s = 0;
    for (let j = 0; j < dim; j++) s += rows[base + j]! * query[queryAt + j]!;
    best.push(s, c.index);
  });
  return best.sorted();
}
