import { describe, expect, it } from 'vitest';
import { quantizeEmbeddings } from './quantization.ts';
import { makeData } from '../../test/helpers/seeded-vectors.ts';
import { communityDetection, cosSim, dotScore, normalizeEmbeddings, paraphraseMining, semanticSearch } from './similarity.ts';

describe('sentence-transformers util mirror', () => {
  const a = [
    [1, 0],
    [0, 2],
    [1, 1],
  ];

  it('cosSim and dotScore give the full matrix', () => {
    const c = cosSim(a, [
      [2, 0],
      [0, 1],
    ]);
    expect([c.rows, c.dim]).toEqual([3, 2]);
    expect(Array.from(c.data).map((x) => +x.toFixed(4))).toEqual([1, 0, 0, 1, 0.7071, 0.7071]);
    expect(Array.from(dotScore(a, [[2, 0]]).data)).toEqual([2, 0, 2]);
    expect(
      Array.from(
        normalizeEmbeddings([
          [3, 4],
          [0, 0],
        ]).data,
      ).map((x) => +x.toFixed(4)),
    ).toEqual([0.6, 0.8, 0, 0]);
  });

  it('semanticSearch returns corpusId/score per query, best first, across corpus chunks', () => {
    const corpus = Array.from({ length: 50 }, (_, i) => [Math.cos(i / 10), Math.sin(i / 10), 0.1]);
    const hits = semanticSearch([[Math.cos(2.05), Math.sin(2.05), 0.1]], corpus, { topK: 3, corpusChunkSize: 7 });
    expect(hits[0]!.map((h) => h.corpusId)).toEqual([20, 21, 19]);
    expect(hits[0]![0]!.score).toBeGreaterThan(hits[0]![1]!.score);
  });

  it('paraphraseMining lists each pair once with i < j', () => {
    const pairs = paraphraseMining(
      [
        [1, 0],
        [0.99, 0.1],
        [0, 1],
        [0.1, 0.99],
      ],
      { topK: 2 },
    );
    expect(pairs[0]!.slice(1)).toEqual([0, 1]);
    for (const [, i, j] of pairs) expect(i).toBeLessThan(j);
    expect(new Set(pairs.map((p) => `${p[1]},${p[2]}`)).size).toBe(pairs.length);
  });

  it('communityDetection finds the groups above the threshold, largest first, disjoint', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 12; i++) rows.push([1, 0.01 * i, 0]);
    for (let i = 0; i < 5; i++) rows.push([0, 1, 0.01 * i]);
    rows.push([0, 0, 1]);
    const c = communityDetection(rows, { threshold: 0.9, minCommunitySize: 3 });
    expect(c.length).toBe(2);
    expect([...c[0]!].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect([...c[1]!].sort((x, y) => x - y)).toEqual([12, 13, 14, 15, 16]);
  });

  it('communityDetection matches a plain reference (every row against every row, greedy by size) on clustered data', () => {
    const { corpus } = makeData('clustered', 300, 0, 24, 5);
    const rows = Array.from({ length: 300 }, (_, i) => corpus.subarray(i * 24, (i + 1) * 24));
    const cos = (a: Float32Array, b: Float32Array) => {
      let d = 0,
        na = 0,
        nb = 0;
      for (let j = 0; j < a.length; j++) {
        d += a[j]! * b[j]!;
        na += a[j]! ** 2;
        nb += b[j]! ** 2;
      }
      return d / Math.sqrt(na * nb);
    };
    for (const [threshold, minCommunitySize] of [
      [0.5, 5],
      [0.7, 10],
      [0.8, 2],
    ] as const) {
      const candidates = rows.map((r, i) => [
        i,
        ...rows
          .map((_, j) => j)
          .filter((j) => j !== i && cos(r, rows[j]!) >= threshold)
          .sort((a, b) => cos(r, rows[b]!) - cos(r, rows[a]!) || a - b),
      ]);
      const taken = new Set<number>();
      const want: number[][] = [];
      for (const c of candidates.filter((c) => c.length >= minCommunitySize).sort((a, b) => b.length - a.length)) {
        const rest = c.filter((i) => !taken.has(i));
        if (rest.length < minCommunitySize) continue;
        want.push(rest);
        rest.forEach((i) => taken.add(i));
      }
      const got = communityDetection(rows, { threshold, minCommunitySize });
      expect(want.length).toBeGreaterThan(0);
      expect(got.map((c) => [...c].sort((a, b) => a - b))).toEqual(want.sort((a, b) => b.length - a.length).map((c) => [...c].sort((a, b) => a - b)));
      // The first community (its centre cannot be taken yet) lists the centre first, then by similarity to it.
      const c = got[0]!;
      for (let i = 2; i < c.length; i++) expect(cos(rows[c[0]!]!, rows[c[i - 1]!]!)).toBeGreaterThanOrEqual(cos(rows[c[0]!]!, rows[c[i]!]!) - 1e-6);
    }
  });

  it('quantizeEmbeddings matches numpy semantics for int8, uint8, binary, ubinary', () => {
    // Ranges per dimension: [0, 0.5], [0, 1], [-1, 0.5]. Row 3 sits mid-range: floor(127.5) = 127.
    const e = Float32Array.of(0, 1, -1, 0.5, 1, -1, 0.5, 0, 0.5, 0.25, 0.5, -0.25);
    const m = { data: e, rows: 4, dim: 3 };
    const u8 = Array.from(quantizeEmbeddings(m, 'uint8').data);
    const i8 = Array.from(quantizeEmbeddings(m, 'int8').data);
    expect(u8.slice(9)).toEqual([127, 127, 127]);
    expect(i8.slice(9)).toEqual([-1, -1, -1]);
    expect([u8[0], u8[2], u8[7], i8[0], i8[2]]).toEqual([0, 0, 0, -128, -128]);
    for (const top of [u8[1], u8[3], u8[8]]) expect(top).toBeGreaterThanOrEqual(254);
    expect(i8.every((v, i) => v === u8[i]! - 128)).toBe(true);
    const bits = Float32Array.of(1, -1, 1, 1, -1, -1, -1, 1, 1, 0);
    const packed = quantizeEmbeddings([bits], 'ubinary');
    expect(Array.from(packed.data)).toEqual([0b10110001, 0b10000000]);
    expect([packed.rows, packed.dim]).toEqual([1, 2]);
    expect(Array.from(quantizeEmbeddings([Array.from(bits)], 'binary').data)).toEqual([0b10110001 - 128, 0]);
    // A constant dimension quantizes without NaN.
    expect(
      Array.from(
        quantizeEmbeddings(
          [
            [0.3, 1],
            [0.3, 2],
          ],
          'int8',
        ).data,
      ),
    ).toEqual([-128, -128, -128, 127]);
  });

  it('quantizeEmbeddings rejects an unknown precision and ranges of the wrong length with typed errors', () => {
    const rows = [
      [0.1, 0.2],
      [0.3, 0.4],
    ];
    expect(() => quantizeEmbeddings(rows, 'int4' as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const ranges = { min: new Float32Array(3), max: new Float32Array(3).fill(1) };
    expect(() => quantizeEmbeddings(rows, 'int8', { ranges })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => quantizeEmbeddings(null as never, 'int8')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    // Calibration data of another width is refused, and the codes follow the given calibration set.
    expect(() => quantizeEmbeddings(rows, 'int8', { calibrationEmbeddings: [[1, 2, 3]] })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    const wide = quantizeEmbeddings(rows, 'uint8', {
      calibrationEmbeddings: [
        [0, 0],
        [1, 1],
      ],
    });
    expect(Array.from(wide.data)).toEqual(
      Array.from(quantizeEmbeddings(rows, 'uint8', { ranges: { min: Float32Array.of(0, 0), max: Float32Array.of(1, 1) } }).data),
    );
  });
});
