// `npm run bench:search [-- --json] [-- --quick]`: our scan kernels against the
// memory-bandwidth floor and against peers, side by side in one process.
// Each row is one JSON object with --json; otherwise a table and a summary of ratios.
import { createRequire } from 'node:module';
import { createFlatIndex, type FlatIndex } from '../src/core/kernel/flat-index.ts';
import { dotTopK } from '../src/core/kernel/exact-search.ts';
import type { Precision } from '../src/core/quantization.ts';
import { measureReadBandwidth } from './bandwidth.ts';
import { makeData, type DataKind } from '../test/helpers/seeded-vectors.ts';

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const QUICK = args.includes('--quick');
const K = 10;
const QUERIES = 200;
const CASE_BUDGET_MS = 15_000;

interface Row {
  method: string;
  data?: DataKind;
  n: number;
  d: number;
  k?: number;
  median_ms?: number;
  p95_ms?: number;
  recall_at_k?: number;
  bytes_per_vector?: number;
  build_ms?: number;
  peer: string | false;
  queries?: number;
  rescore?: number;
  batch?: number;
  error?: string;
  bandwidth_gbps?: number;
  floor_ms?: number;
}

const rows: Row[] = [];
function emit(r: Row): void {
  rows.push(r);
  if (JSON_OUT) console.log(JSON.stringify(r));
  else if (r.method === 'limit')
    console.log(`\n== n=${r.n} d=${r.d}: read bandwidth ${r.bandwidth_gbps!.toFixed(1)} GB/s, f32 scan floor ${r.floor_ms!.toFixed(2)} ms`);
  else if (r.error) console.log(`${pad(r.method, 34)} ${pad(r.data ?? '', 9)} ERROR ${r.error}`);
  else {
    console.log(
      `${pad(r.method, 34)} ${pad(r.data ?? '', 9)} median ${fmt(r.median_ms)} ms  p95 ${fmt(r.p95_ms)} ms  recall@${K} ${r.recall_at_k?.toFixed(4) ?? '-'}  ${r.bytes_per_vector ?? '-'} B/vec  build ${fmt(r.build_ms)} ms  (${r.queries} q${r.peer ? `, peer ${r.peer}` : ''})`,
    );
  }
}
const pad = (s: string, n: number) => s.padEnd(n);
const fmt = (x: number | undefined) => (x === undefined ? '-' : x < 10 ? x.toFixed(3) : x.toFixed(1));

function stats(times: number[]): { median_ms: number; p95_ms: number } {
  const s = [...times].sort((a, b) => a - b);
  return { median_ms: s[Math.floor(s.length / 2)]!, p95_ms: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]! };
}

function recall(truth: number[][], got: number[][]): number {
  let hit = 0,
    total = 0;
  // Only the queries a (slow) method answered count.
  truth.slice(0, got.length).forEach((t, i) => {
    const g = new Set(got[i]);
    hit += t.filter((x) => g.has(x)).length;
    total += t.length;
  });
  return total ? hit / total : 0;
}

/** Times `search` per query until QUERIES or the case budget runs out (slow peers get fewer queries). */
async function timeQueries(queries: Float32Array, d: number, search: (q: Float32Array) => number[] | Promise<number[]>) {
  const nq = queries.length / d;
  const times: number[] = [];
  const results: number[][] = [];
  const start = performance.now();
  for (let i = 0; i < Math.min(QUERIES, nq); i++) {
    const q = queries.subarray(i * d, i * d + d);
    const t0 = performance.now();
    results.push(await search(q));
    times.push(performance.now() - t0);
    if (i >= 9 && performance.now() - start > CASE_BUDGET_MS) break;
  }
  return { times, results };
}

async function loadPeer<T>(name: string, load: () => Promise<T>): Promise<T | Error> {
  try {
    return await load();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const usearch = await loadPeer('usearch', async () => {
    const m = require('usearch') as typeof import('usearch');
    m.exactSearch(new Float32Array(4), new Float32Array(4), 4, 1, m.MetricKind.IP, 1);
    return m;
  });
  const orama = await loadPeer('@orama/orama', () => import('@orama/orama'));
  const voy = await loadPeer(
    'voy-search',
    () => import('voy-search') as Promise<{ Voy: new (r: unknown) => { search(q: Float32Array, k: number): { neighbors: { id: string }[] } } }>,
  );
  const cvs = await loadPeer(
    'client-vector-search',
    () =>
      import('client-vector-search' as string) as Promise<{
        EmbeddingIndex: new (o: unknown[]) => { search(q: number[], o: { topK: number }): Promise<{ object: { id: number } }[]> };
      }>,
  );

  const bandwidth = await measureReadBandwidth();
  const sizes: [number, number][] = QUICK
    ? [
        [10_000, 384],
        [100_000, 384],
      ]
    : [
        [10_000, 384],
        [100_000, 384],
        [100_000, 1024],
        [1_000_000, 384],
      ];

  for (const [n, d] of sizes) {
    emit({ method: 'limit', n, d, peer: false, bandwidth_gbps: bandwidth, floor_ms: ((n * d * 4) / (bandwidth * 1e9)) * 1000 });
    for (const kind of ['random', 'clustered'] as DataKind[]) {
      const { corpus, queries } = makeData(kind, n, QUERIES + 64, d, n + d + (kind === 'random' ? 1 : 2));
      const base = { data: kind, n, d, k: K };

      // Ours, float32 exact: the reference for every recall below.
      let t0 = performance.now();
      const f32 = createFlatIndex({ dimension: d });
      f32.add(corpus);
      const f32Build = performance.now() - t0;
      const exact = await timeQueries(queries, d, (q) => f32.search(q, { k: K }).map((h) => h.index));
      const truth = exact.results;
      emit({
        method: `pagesense-f32-exact(${f32.backend})`,
        ...base,
        ...stats(exact.times),
        recall_at_k: 1,
        bytes_per_vector: f32.bytesPerVector,
        build_ms: f32Build,
        peer: false,
        queries: exact.times.length,
      });

      // Batch: 64 queries at once, per-query time.
      const batchQ = queries.subarray(0, 64 * d);
      const batchTimes: number[] = [];
      const bStart = performance.now();
      let batchRes: number[][] = [];
      for (let rep = 0; rep < 9 && (rep < 3 || performance.now() - bStart < CASE_BUDGET_MS); rep++) {
        const tb = performance.now();
        batchRes = f32.searchBatch(batchQ, { k: K }).map((hs) => hs.map((h) => h.index));
        batchTimes.push((performance.now() - tb) / 64);
      }
      emit({
        method: 'pagesense-f32-exact-batch64',
        ...base,
        ...stats(batchTimes),
        recall_at_k: recall(truth.slice(0, 64), batchRes),
        bytes_per_vector: f32.bytesPerVector,
        peer: false,
        queries: 64,
        batch: 64,
      });

      for (const [precision, factors] of [
        ['int8', [4]],
        ['binary', kind === 'clustered' ? [4, 10, 25] : [4, 10]],
      ] as [Precision, number[]][]) {
        t0 = performance.now();
        const qi: FlatIndex = createFlatIndex({ dimension: d, precision });
        qi.add(corpus);
        const build = performance.now() - t0;
        for (const rescore of factors) {
          const r = await timeQueries(queries, d, (q) => qi.search(q, { k: K, rescore }).map((h) => h.index));
          emit({
            method: `pagesense-${precision}+rescore`,
            ...base,
            ...stats(r.times),
            recall_at_k: recall(truth, r.results),
            bytes_per_vector: qi.bytesPerVector,
            build_ms: build,
            peer: false,
            queries: r.times.length,
            rescore,
          });
        }
      }

      // Peers.
      {
        const r = await timeQueries(queries, d, (q) => dotTopK(corpus, d, q, K).map((h) => h.index));
        emit({
          method: 'plain-js-loop',
          ...base,
          ...stats(r.times),
          recall_at_k: recall(truth, r.results),
          bytes_per_vector: d * 4,
          build_ms: 0,
          peer: 'plain-js-loop',
          queries: r.times.length,
        });
      }
      if (usearch instanceof Error)
        emit({
          method: 'usearch-exactSearch',
          ...base,
          peer: 'usearch',
          error: `not loadable: ${usearch.message.split('\n')[0]} (build it with npm run bench:setup)`,
        });
      else {
        const r = await timeQueries(queries, d, (q) => {
          // usearch's addon ignores a view's byteOffset: hand it a fresh array (384 floats, negligible).
          const m = usearch.exactSearch(corpus, new Float32Array(q), d, K, usearch.MetricKind.IP, 1) as { keys: BigUint64Array };
          return Array.from(m.keys, Number);
        });
        emit({
          method: 'usearch-exactSearch',
          ...base,
          ...stats(r.times),
          recall_at_k: recall(truth, r.results),
          bytes_per_vector: d * 4,
          build_ms: 0,
          peer: 'usearch',
          queries: r.times.length,
        });
      }
      if (n <= 100_000) {
        if (orama instanceof Error) emit({ method: 'orama-vector', ...base, peer: '@orama/orama', error: orama.message });
        else {
          try {
            t0 = performance.now();
            const db = orama.create({ schema: { embedding: `vector[${d}]` } as const });
            const docs = Array.from({ length: n }, (_, i) => ({ id: String(i), embedding: Array.from(corpus.subarray(i * d, i * d + d)) }));
            await orama.insertMultiple(db, docs as never, 5000);
            const build = performance.now() - t0;
            const r = await timeQueries(queries, d, async (q) => {
              const res = await orama.search(db, {
                mode: 'vector',
                vector: { value: Array.from(q), property: 'embedding' },
                similarity: -1,
                limit: K,
                includeVectors: false,
              } as never);
              return (res as { hits: { id: string }[] }).hits.map((h) => Number(h.id));
            });
            emit({
              method: 'orama-vector',
              ...base,
              ...stats(r.times),
              recall_at_k: recall(truth, r.results),
              build_ms: build,
              peer: '@orama/orama',
              queries: r.times.length,
            });
          } catch (err) {
            emit({ method: 'orama-vector', ...base, peer: '@orama/orama', error: String((err as Error).message ?? err) });
          }
        }
        if (voy instanceof Error) emit({ method: 'voy-search', ...base, peer: 'voy-search', error: `not loadable in Node: ${voy.message.split('\n')[0]}` });
        else {
          try {
            t0 = performance.now();
            const index = new voy.Voy({
              embeddings: Array.from({ length: n }, (_, i) => ({
                id: String(i),
                title: '',
                url: '',
                embeddings: Array.from(corpus.subarray(i * d, i * d + d)),
              })),
            });
            const build = performance.now() - t0;
            const r = await timeQueries(queries, d, (q) => index.search(q, K).neighbors.map((x) => Number(x.id)));
            emit({
              method: 'voy-search',
              ...base,
              ...stats(r.times),
              recall_at_k: recall(truth, r.results),
              build_ms: build,
              peer: 'voy-search',
              queries: r.times.length,
            });
          } catch (err) {
            emit({ method: 'voy-search', ...base, peer: 'voy-search', error: String((err as Error).message ?? err) });
          }
        }
        if (cvs instanceof Error)
          emit({ method: 'client-vector-search', ...base, peer: 'client-vector-search', error: `not loadable: ${cvs.message.split('\n')[0]}` });
        else {
          try {
            t0 = performance.now();
            const index = new cvs.EmbeddingIndex(Array.from({ length: n }, (_, i) => ({ id: i, embedding: Array.from(corpus.subarray(i * d, i * d + d)) })));
            const build = performance.now() - t0;
            const r = await timeQueries(queries, d, async (q) => (await index.search(Array.from(q), { topK: K })).map((x) => x.object.id));
            emit({
              method: 'client-vector-search',
              ...base,
              ...stats(r.times),
              recall_at_k: recall(truth, r.results),
              build_ms: build,
              peer: 'client-vector-search',
              queries: r.times.length,
            });
          } catch (err) {
            emit({ method: 'client-vector-search', ...base, peer: 'client-vector-search', error: String((err as Error).message ?? err) });
          }
        }
      }
    }
  }
  if (!JSON_OUT) summarize();
}

function summarize(): void {
  console.log('\n== ratios (same run)');
  const find = (m: string, n: number, d: number, data: string, extra: (r: Row) => boolean = () => true) =>
    rows.find((r) => r.method.startsWith(m) && r.n === n && r.d === d && r.data === data && extra(r) && r.median_ms !== undefined);
  for (const lim of rows.filter((r) => r.method === 'limit')) {
    for (const data of ['random', 'clustered']) {
      const f = find('pagesense-f32-exact(', lim.n, lim.d, data);
      if (!f) continue;
      const parts = [`n=${lim.n} d=${lim.d} ${data}: f32 ${(f.median_ms! / lim.floor_ms!).toFixed(2)}x floor`];
      const b = find('pagesense-f32-exact-batch64', lim.n, lim.d, data);
      if (b) parts.push(`batch64 per-query ${(f.median_ms! / b.median_ms!).toFixed(2)}x faster`);
      const i8 = find('pagesense-int8+rescore', lim.n, lim.d, data);
      if (i8) parts.push(`int8 ${(f.median_ms! / i8.median_ms!).toFixed(2)}x faster (recall ${i8.recall_at_k!.toFixed(3)})`);
      for (const bin of rows.filter((r) => r.method === 'pagesense-binary+rescore' && r.n === lim.n && r.d === lim.d && r.data === data)) {
        parts.push(`binary x${bin.rescore} ${(f.median_ms! / bin.median_ms!).toFixed(2)}x faster (recall ${bin.recall_at_k!.toFixed(3)})`);
      }
      for (const peer of ['usearch-exactSearch', 'orama-vector', 'plain-js-loop', 'voy-search', 'client-vector-search']) {
        const p = find(peer, lim.n, lim.d, data);
        if (p) parts.push(`${peer} ${(p.median_ms! / f.median_ms!).toFixed(2)}x slower`);
      }
      console.log(parts.join('; '));
    }
  }
}

await main();
