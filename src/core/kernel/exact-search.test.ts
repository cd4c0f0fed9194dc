import { describe, expect, it } from 'vitest';
import { rng } from '../../../test/helpers/seeded-vectors.ts';
import { naiveTopK } from '../../../test/helpers/naive-top-k.ts';
import { dotTopK } from './exact-search.ts';
import { TopKHeap } from './top-k-heap.ts';

describe('dotTopK', () => {
  it('matches a naive sort on random sizes, k > N, duplicates and ties', () => {
    const r = rng(1);
    for (let trial = 0; trial < 200; trial++) {
      const dim = 1 + Math.floor(r() * 37);
      const n = Math.floor(r() * 60);
      const k = 1 + Math.floor(r() * 70);
      // Coarse values make exact ties and duplicate rows common.
      const m = Float32Array.from({ length: n * dim }, () => Math.round((r() - 0.5) * 4) / 2);
      if (n > 3) m.copyWithin(0, dim, 2 * dim);
      const q = Float32Array.from({ length: dim }, () => Math.round((r() - 0.5) * 4) / 2);
      const got = dotTopK(m, dim, q, k);
      const want = naiveTopK(m, dim, q, k);
      expect(got.map((h) => h.index)).toEqual(want.map((h) => h.index));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 4));
    }
  });

  it('breaks ties by lower index', () => {
    const m = new Float32Array(10 * 2).fill(1);
    expect(dotTopK(m, 2, Float32Array.of(1, 1), 3).map((h) => h.index)).toEqual([0, 1, 2]);
  });

  it('rejects a query of the wrong dimension', () => {
    expect(() => dotTopK(new Float32Array(8), 4, new Float32Array(3), 1)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('returns nothing for k = 0 or an empty matrix', () => {
    expect(dotTopK(new Float32Array(8), 4, new Float32Array(4), 0)).toEqual([]);
    expect(dotTopK(new Float32Array(0), 4, new Float32Array(4), 5)).toEqual([]);
  });
});

describe('TopKHeap', () => {
  it('keeps the k best of a stream in any order', () => {
    const r = rng(9);
    const scores = Array.from({ length: 500 }, () => Math.floor(r() * 50));
    const heap = new TopKHeap(17);
    scores.forEach((s, i) => heap.push(s, i));
    const want = scores
      .map((s, i) => ({ index: i, score: s }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, 17);
    expect(heap.sorted()).toEqual(want);
  });
});
