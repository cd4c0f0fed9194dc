import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../../test/helpers/seeded-vectors.ts';
import { naiveTopK } from '../../../test/helpers/naive-top-k.ts';

const naive = (m: Float32Array, dim: number, q: Float32Array, k: number) => naiveTopK(m, dim, q, k, { normalize: true });
import { createFlatIndex } from './flat-index.ts';
import { wasmSimdModule } from './scan-kernels.ts';
import type { Precision } from '../quantization.ts';

const gauss = (r: () => number) => gaussian(r)();

/** Rows near a low-dimensional subspace plus noise, like real embeddings. */
function clustered(n: number, dim: number, seed: number): Float32Array {
  const r = rng(seed);
  const rank = 8;
  const basis = Float32Array.from({ length: rank * dim }, () => gauss(r));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Array.from({ length: rank }, () => gauss(r));
    for (let j = 0; j < dim; j++) {
      let v = 0.3 * gauss(r);
      for (let b = 0; b < rank; b++) v += c[b]! * basis[b * dim + j]!;
      out[i * dim + j] = v;
    }
  }
  return out;
}

const backends = wasmSimdModule() ? (['wasm-simd', 'js'] as const) : (['js'] as const);

describe.each(backends)('flat index, %s backend', (backend) => {
  it('float32 matches a naive scan on random shapes, k > N, duplicates and zero rows', () => {
    const r = rng(11);
    for (let trial = 0; trial < 60; trial++) {
      const dim = 1 + Math.floor(r() * 70);
      const n = Math.floor(r() * 300);
      const k = 1 + Math.floor(r() * 40);
      const m = Float32Array.from({ length: n * dim }, () => gauss(r));
      if (n > 4) {
        m.fill(0, 0, dim); // a zero row
        m.copyWithin(dim, 2 * dim, 3 * dim); // a duplicate
      }
      const idx = createFlatIndex({ dimension: dim, backend });
      idx.add(m);
      const q = Float32Array.from({ length: dim }, () => gauss(r));
      const got = idx.search(q, { k });
      const want = naive(m, dim, q, k);
      expect(got.map((h) => h.index)).toEqual(want.map((h) => h.index));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
    }
  });

  it('breaks exact ties by lower index, across block boundaries', () => {
    const dim = 8;
    const n = 9000;
    const idx = createFlatIndex({ dimension: dim, backend });
    idx.add(new Float32Array(n * dim).fill(1));
    expect(idx.search(new Float32Array(dim).fill(1), { k: 5 }).map((h) => h.index)).toEqual([0, 1, 2, 3, 4]);
    expect(idx.searchBatch(new Float32Array(dim * 6).fill(1), { k: 3 }).every((hs) => hs.map((h) => h.index).join() === '0,1,2')).toBe(true);
  });

  it('a batch returns what single searches return', () => {
    const dim = 384;
    const all = clustered(3070, dim, 3);
    const m = all.subarray(0, 3000 * dim);
    const qs = all.subarray(3000 * dim);
    const idx = createFlatIndex({ dimension: dim, backend });
    idx.add(m);
    const batch = idx.searchBatch(qs, { k: 10 });
    expect(batch.length).toBe(70);
    for (let i = 0; i < 70; i += 7) {
      const one = idx.search(qs.subarray(i * dim, i * dim + dim), { k: 10 });
      expect(batch[i]!.map((h) => h.index)).toEqual(one.map((h) => h.index));
    }
  });

  it.each(['int8', 'uint8', 'binary', 'ubinary'] as Precision[])('%s + rescore keeps recall@10 high on clustered data', (precision) => {
    const dim = 384;
    const all = clustered(4030, dim, 5); // queries from the same subspace as the rows
    const m = all.subarray(0, 4000 * dim);
    const qs = all.subarray(4000 * dim);
    const exact = createFlatIndex({ dimension: dim, backend });
    exact.add(m);
    const q = createFlatIndex({ dimension: dim, precision, backend });
    q.add(m);
    const rescore = precision.includes('binary') ? 10 : 4;
    let hit = 0;
    const truth = exact.searchBatch(qs, { k: 10 });
    const got = q.searchBatch(qs, { k: 10, rescore });
    truth.forEach((t, i) => {
      const s = new Set(got[i]!.map((h) => h.index));
      hit += t.filter((h) => s.has(h.index)).length;
    });
    const recall = hit / (10 * truth.length);
    expect(recall).toBeGreaterThanOrEqual(precision.includes('binary') ? 0.9 : 0.99);
    // Rescored scores are exact cosines.
    expect(got[0]![0]!.score).toBeCloseTo(truth[0]!.find((h) => h.index === got[0]![0]!.index)?.score ?? got[0]![0]!.score, 5);
  });

  it('int8 without rescoring estimates cosine closely', () => {
    const dim = 64;
    const m = clustered(500, dim, 8);
    const idx = createFlatIndex({ dimension: dim, precision: 'int8', backend });
    idx.add(m);
    const exact = naive(m, dim, m.subarray(0, dim), 5);
    const got = idx.search(m.subarray(0, dim), { k: 5, rescore: 1 });
    expect(got[0]!.index).toBe(0);
    expect(Math.abs(got[0]!.score - exact[0]!.score)).toBeLessThan(0.05);
  });

  it('constant dimensions and zero vectors produce no NaN or Infinity', () => {
    const dim = 20;
    const m = new Float32Array(50 * dim);
    for (let i = 0; i < 50; i++) for (let j = 0; j < dim; j++) m[i * dim + j] = j < 5 ? 0.5 : i % 3 === 0 ? 0 : ((i * j) % 7) - 3;
    for (const precision of ['int8', 'uint8', 'binary', 'ubinary', 'float32'] as Precision[]) {
      const idx = createFlatIndex({ dimension: dim, precision, backend });
      idx.add(m);
      for (const rescore of [1, 4]) {
        const hits = idx.search(m.subarray(dim, 2 * dim), { k: 50, rescore });
        expect(hits.length).toBe(50);
        expect(hits.every((h) => Number.isFinite(h.score))).toBe(true);
      }
      expect(idx.search(new Float32Array(dim), { k: 3 }).every((h) => Number.isFinite(h.score))).toBe(true);
    }
  });
});

describe('flat index input checks', () => {
  it('rejects NaN, Infinity and wrong lengths with typed errors, and keeps earlier rows', () => {
    const idx = createFlatIndex({ dimension: 4 });
    idx.add(Float32Array.of(1, 0, 0, 0));
    expect(() => idx.add(Float32Array.of(1, NaN, 0, 0))).toThrow(expect.objectContaining({ code: 'NON_FINITE_VECTOR' }));
    expect(() => idx.add(new Float32Array(5))).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => idx.search(new Float32Array(3))).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => idx.search(Float32Array.of(Infinity, 0, 0, 0))).toThrow(expect.objectContaining({ code: 'NON_FINITE_VECTOR' }));
    expect(() => idx.searchBatch(new Float32Array(6))).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(idx.size).toBe(1);
    expect(idx.search(Float32Array.of(2, 0, 0, 0))[0]).toEqual({ index: 0, score: 1 });
  });

  it.each(backends)('unnormalized rows are checked after the copy (%s): a bad batch leaves no trace', (backend) => {
    const dim = 20; // padded to a stride of 32: the check must cover rows, the clean-up the padding
    const idx = createFlatIndex({ dimension: dim, normalize: false, backend });
    idx.reserve(40);
    const good = Float32Array.from({ length: 3 * dim }, (_, i) => (i % dim === 0 ? 1 : 0) * (1 + i / dim));
    idx.add(good);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const batch = Float32Array.from({ length: 5 * dim }, () => 0.5);
      batch[3 * dim + 7] = bad;
      expect(() => idx.add(batch)).toThrow(expect.objectContaining({ code: 'NON_FINITE_VECTOR', details: expect.objectContaining({ row: 3 }) }));
    }
    expect(idx.size).toBe(3);
    // The slot the bad batch used is reused and scores as if it had never been written.
    const later = new Float32Array(dim);
    later[1] = 1;
    expect(idx.add(later)).toBe(3);
    const q = new Float32Array(dim);
    q[1] = 1;
    expect(idx.search(q, { k: 4 }).map((h) => [h.index, h.score])).toEqual([
      [3, 1],
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
  });

  it('rows written in place (shared memory) are checked, counted and searched like added ones', () => {
    const dim = 32;
    const idx = createFlatIndex({ dimension: dim, normalize: false, sharedMemory: true });
    expect(idx.sharedMemory).toBe(backends.length === 2); // WebAssembly available: a shared memory
    idx.add(Float32Array.from({ length: dim }, (_, j) => (j === 0 ? 1 : 0)));
    idx.reserve(5);
    const region = idx.rowRegion(4)!;
    expect(region.byteLength).toBe(4 * dim * 4);
    const rows = new Float32Array(region.buffer, region.byteOffset, 4 * dim);
    for (let r = 0; r < 4; r++) rows[r * dim + 1 + r] = 1;
    rows[3 * dim + 9] = NaN;
    expect(() => idx.commitRows(4)).toThrow(expect.objectContaining({ code: 'NON_FINITE_VECTOR', details: expect.objectContaining({ row: 3 }) }));
    expect(idx.size).toBe(1);
    const again = new Float32Array(idx.rowRegion(3)!.buffer, idx.rowRegion(3)!.byteOffset, 3 * dim);
    for (let r = 0; r < 3; r++) again[r * dim + 1 + r] = 1;
    idx.commitRows(3);
    const q = new Float32Array(dim);
    q[3] = 1;
    expect(idx.search(q, { k: 1 })[0]).toEqual({ index: 3, score: 1 });
    expect(idx.size).toBe(4);
    expect(createFlatIndex({ dimension: 20, normalize: false }).rowRegion(1)).toBeUndefined(); // padded rows
  });

  it("does not modify the caller's arrays", () => {
    const v = Float32Array.of(3, 4);
    createFlatIndex({ dimension: 2 }).add(v);
    expect(Array.from(v)).toEqual([3, 4]);
  });
});

describe.runIf(backends.length === 2)('WASM SIMD and TypeScript kernels agree', () => {
  it.each(['float32', 'int8', 'uint8', 'binary', 'ubinary'] as Precision[])('%s: same indices, same scores', (precision) => {
    const dim = 100;
    const all = clustered(2509, dim, 21);
    const m = all.subarray(0, 2500 * dim);
    const qs = all.subarray(2500 * dim);
    const a = createFlatIndex({ dimension: dim, precision, backend: 'wasm-simd' });
    const b = createFlatIndex({ dimension: dim, precision, backend: 'js' });
    a.add(m);
    b.add(m);
    expect(a.backend).toBe('wasm-simd');
    expect(b.backend).toBe('js');
    const ra = a.searchBatch(qs, { k: 15, rescore: 1 });
    const rb = b.searchBatch(qs, { k: 15, rescore: 1 });
    ra.forEach((hits, i) => {
      expect(hits.map((h) => h.index)).toEqual(rb[i]!.map((h) => h.index));
      hits.forEach((h, j) => expect(h.score).toBeCloseTo(rb[i]![j]!.score, precision === 'float32' ? 5 : 9));
    });
  });
});

describe('removeRows', () => {
  for (const precision of ['float32', 'int8', 'binary'] as const) {
    it(`${precision}: after removing rows, search equals a fresh index of the rows left (moves tell where each went)`, () => {
      const dim = 40; // not a multiple of 16: padded rows
      const n = 300;
      const data = clustered(n, dim, 11);
      const index = createFlatIndex({ dimension: dim, precision });
      index.add(data);
      const r = rng(5);
      const gone = new Set<number>();
      while (gone.size < 70) gone.add(Math.floor(r() * n));
      gone.add(n - 1); // the last row itself
      // Which original row each index position holds.
      const holder = Array.from({ length: n }, (_, i) => i);
      for (const [from, to] of index.removeRows([...gone])) holder[to] = holder[from]!;
      holder.length = index.size;
      expect(index.size).toBe(n - gone.size);
      expect(new Set(holder)).toEqual(new Set(Array.from({ length: n }, (_, i) => i).filter((i) => !gone.has(i))));
      const kept = new Float32Array(holder.length * dim);
      holder.forEach((orig, i) => kept.set(data.subarray(orig * dim, orig * dim + dim), i * dim));
      const fresh = createFlatIndex({ dimension: dim, precision, ...(precision === 'int8' ? { ranges: index.ranges! } : {}) });
      fresh.add(kept);
      for (let q = 0; q < 5; q++) {
        const query = data.subarray(q * 7 * dim, q * 7 * dim + dim);
        const got = index.search(query, { k: 10 }).map((h) => [holder[h.index], h.score.toFixed(5)]);
        const want = fresh.search(query, { k: 10 }).map((h) => [holder[h.index], h.score.toFixed(5)]);
        expect(got).toEqual(want);
      }
      // Rows added after a removal land in the freed tail and are found.
      const newcomer = clustered(1, dim, 99);
      index.add(newcomer);
      expect(index.search(newcomer, { k: 1 })[0]!.index).toBe(index.size - 1);
    });
  }

  it('rejects rows outside the index or listed twice, and removes nothing then', () => {
    const index = createFlatIndex({ dimension: 4 });
    index.add(new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]));
    expect(() => index.removeRows([2])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => index.removeRows([0, 0])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => index.removeRows([0.5])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(index.size).toBe(2);
  });

  it('a size no backend can hold is UNSUPPORTED, not the engine’s RangeError', () => {
    for (const backend of ['js', 'wasm-simd'] as const) {
      for (const precision of ['float32', 'int8'] as const) {
        for (const rows of [1e9, 2 ** 53]) {
          const index = createFlatIndex({ dimension: 384, backend, precision });
          expect(() => index.reserve(rows), `${backend} ${precision} ${rows}`).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
          expect(index.size).toBe(0);
        }
      }
    }
  });
});
