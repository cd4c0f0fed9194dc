// Chromium side of bench:search: our kernels (and hnswlib-wasm) inside a Worker.
import * as Comlink from 'comlink';
import { loadHnswlib } from 'hnswlib-wasm';
import { createFlatIndex } from '../../src/core/kernel/flat-index.ts';
import type { Precision } from '../../src/core/quantization.ts';
import { makeData, type DataKind } from '../../test/helpers/seeded-vectors.ts';

const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
const p95 = (t: number[]) => [...t].sort((a, b) => a - b)[Math.min(t.length - 1, Math.floor(t.length * 0.95))]!;

const api = {
  async run(kind: DataKind, n: number, d: number, queries: number, k: number, withHnsw: boolean) {
    const { corpus, queries: qs } = makeData(kind, n, queries, d, n + d + (kind === 'random' ? 1 : 2));
    const out: Record<string, unknown>[] = [];
    const truth: number[][] = [];
    for (const [precision, rescore] of [
      ['float32', 1],
      ['int8', 4],
      ['binary', 10],
    ] as [Precision, number][]) {
      const t0 = performance.now();
      const idx = createFlatIndex({ dimension: d, precision });
      idx.add(corpus);
      const build = performance.now() - t0;
      const times: number[] = [];
      let hit = 0;
      for (let i = 0; i < queries; i++) {
        const t = performance.now();
        const hits = idx.search(qs.subarray(i * d, i * d + d), { k, rescore }).map((h) => h.index);
        times.push(performance.now() - t);
        if (precision === 'float32') truth.push(hits);
        else hit += hits.filter((x) => truth[i]!.includes(x)).length;
      }
      out.push({
        method: `pagesense-${precision}${precision === 'float32' ? '-exact' : '+rescore'}(${idx.backend})`,
        median_ms: median(times),
        p95_ms: p95(times),
        recall_at_k: precision === 'float32' ? 1 : hit / (k * queries),
        bytes_per_vector: idx.bytesPerVector,
        build_ms: build,
        peer: false,
        rescore,
      });
    }
    if (withHnsw) {
      const lib = await loadHnswlib();
      const t0 = performance.now();
      const index = new lib.HierarchicalNSW('ip', d, '');
      index.initIndex(n, 16, 100, 100);
      for (let i = 0; i < n; i++) index.addPoint(corpus.subarray(i * d, i * d + d), i, false);
      index.setEfSearch(64);
      const build = performance.now() - t0;
      const times: number[] = [];
      let hit = 0;
      for (let i = 0; i < queries; i++) {
        const t = performance.now();
        const r = index.searchKnn(qs.subarray(i * d, i * d + d), k, undefined);
        times.push(performance.now() - t);
        hit += r.neighbors.filter((x: number) => truth[i]!.includes(x)).length;
      }
      out.push({
        method: 'hnswlib-wasm(M16,efC100,ef64)',
        median_ms: median(times),
        p95_ms: p95(times),
        recall_at_k: hit / (k * queries),
        build_ms: build,
        peer: 'hnswlib-wasm',
      });
    }
    return out;
  },
};

export type BenchWorkerApi = typeof api;
Comlink.expose(api);
