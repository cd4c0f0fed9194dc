// Runs the scan kernels inside a real Worker and reports results and timings.
import * as Comlink from 'comlink';
import { createFlatIndex } from '../../src/core/kernel/flat-index.ts';
import type { Precision } from '../../src/core/quantization.ts';
import { wasmSimdModule } from '../../src/core/kernel/scan-kernels.ts';

function rows(n: number, dim: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = a / 4294967296 - 0.5;
  }
  return out;
}

const api = {
  simd: () => wasmSimdModule() !== null,
  /** Top-k per backend and precision on the same data, plus a naive reference. */
  compare(n: number, dim: number, k: number) {
    const m = rows(n, dim, 1);
    const q = rows(3, dim, 2);
    const out: Record<string, number[][]> = {};
    for (const backend of ['wasm-simd', 'js'] as const) {
      for (const precision of ['float32', 'int8', 'binary'] as Precision[]) {
        const idx = createFlatIndex({ dimension: dim, precision, backend });
        idx.add(m);
        out[`${backend}/${precision}`] = idx.searchBatch(q, { k, rescore: 1 }).map((hs) => hs.map((h) => h.index));
      }
    }
    // Naive float64 reference for float32.
    const norm = (v: Float32Array, o: number) => Math.hypot(...v.subarray(o, o + dim)) || 1;
    out['naive/float32'] = [0, 1, 2].map((qi) =>
      Array.from({ length: n }, (_, r) => {
        let s = 0;
        for (let j = 0; j < dim; j++) s += m[r * dim + j]! * q[qi * dim + j]!;
        return { r, s: s / norm(m, r * dim) / norm(q, qi * dim) };
      })
        .sort((a, b) => b.s - a.s || a.r - b.r)
        .slice(0, k)
        .map((x) => x.r),
    );
    return out;
  },
  /** Median single-query f32 scan time over `reps` queries. */
  time(n: number, dim: number, reps: number) {
    const idx = createFlatIndex({ dimension: dim });
    idx.add(rows(n, dim, 3));
    const q = rows(reps, dim, 4);
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      idx.search(q.subarray(i * dim, i * dim + dim), { k: 10 });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(reps / 2)]!;
  },
};

export type KernelWorkerApi = typeof api;
Comlink.expose(api);
