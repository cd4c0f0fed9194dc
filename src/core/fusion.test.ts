import { describe, expect, it } from 'vitest';
import { fuseRankings } from './fusion.ts';

const list = (...ids: string[]) => ids.map((id, i) => ({ id, score: 10 - i }));

describe('fusion', () => {
  it('reciprocal rank fusion: 1/(60 + rank) summed over the lists, with where each hit was found', () => {
    const fused = fuseRankings([list('a', 'b', 'c'), list('c', 'a', 'd')]);
    expect(fused.map((h) => h.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused.find((h) => h.id === 'd')!.sources).toEqual([{ list: 1, rank: 3, score: 8 }]);
  });

  it('weighted normalized scores: min-max per list, then weights', () => {
    const fused = fuseRankings(
      [
        [
          { id: 'a', score: 3 },
          { id: 'b', score: 1 },
        ],
        [
          { id: 'b', score: 0.9 },
          { id: 'a', score: 0.1 },
          { id: 'c', score: 0.5 },
        ],
      ],
      { method: 'weighted', weights: [1, 2] },
    );
    // a: 1 + 2 * 0 = 1; b: 0 + 2 * 1 = 2; c: 2 * 0.5 = 1 (ties with a: a has the better rank).
    expect(fused.map((h) => [h.id, Number(h.score.toFixed(6))])).toEqual([
      ['b', 2],
      ['a', 1],
      ['c', 1],
    ]);
  });

  it('a lone list keeps its order; duplicates count at their first rank; limit cuts', () => {
    expect(fuseRankings([list('x', 'y', 'x', 'z')], { limit: 2 }).map((h) => h.id)).toEqual(['x', 'y']);
  });

  it('refuses weights that do not match the lists, a negative k and an unknown method', () => {
    expect(() => fuseRankings([list('a')], { weights: [1, 1] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => fuseRankings([list('a')], { k: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => fuseRankings([list('a')], { method: 'max' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
