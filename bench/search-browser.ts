// `npm run bench:search:browser [-- --json]`: the same kernels in a Chromium Worker
// and in Node, side by side, plus hnswlib-wasm (which loads only in a browser).
import { createFlatIndex } from '../src/core/kernel/flat-index.ts';
import type { Precision } from '../src/core/quantization.ts';
import { launch } from '../e2e/browser.ts';
import { startLabServer } from '../e2e/lab-server.ts';
import { makeData, type DataKind } from '../test/helpers/seeded-vectors.ts';

const JSON_OUT = process.argv.includes('--json');
const K = 10;
const QUERIES = 100;
const cases: [DataKind, number, number, boolean][] = [
  ['clustered', 10_000, 384, true],
  ['clustered', 100_000, 384, true],
  ['random', 100_000, 384, false],
];

function nodeRun(kind: DataKind, n: number, d: number) {
  const { corpus, queries } = makeData(kind, n, QUERIES, d, n + d + (kind === 'random' ? 1 : 2));
  const out: Record<string, number> = {};
  for (const [precision, rescore] of [
    ['float32', 1],
    ['int8', 4],
    ['binary', 10],
  ] as [Precision, number][]) {
    const idx = createFlatIndex({ dimension: d, precision });
    idx.add(corpus);
    const times: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const t = performance.now();
      idx.search(queries.subarray(i * d, i * d + d), { k: K, rescore });
      times.push(performance.now() - t);
    }
    out[precision] = times.sort((a, b) => a - b)[Math.floor(QUERIES / 2)]!;
  }
  return out;
}

const lab = await startLabServer();
const session = await launch();
try {
  await session.page.goto(`${lab.url}bench/browser/search.html`);
  await session.page.waitForFunction(() => document.title === 'ready');
  for (const [kind, n, d, hnsw] of cases) {
    const node = nodeRun(kind, n, d);
    const rows = (await session.page.evaluate(([kind, n, d, q, k, h]) => (globalThis as any).bench.run(kind, n, d, q, k, h), [
      kind,
      n,
      d,
      QUERIES,
      K,
      hnsw,
    ] as const)) as Record<string, unknown>[];
    for (const r of rows) {
      const precision = String(r['method']).match(/pagesense-(float32|int8|binary)/)?.[1];
      const nodeMs = precision ? node[precision] : undefined;
      const row = {
        ...r,
        env: 'chromium-worker',
        data: kind,
        n,
        d,
        k: K,
        queries: QUERIES,
        ...(nodeMs ? { node_median_ms: nodeMs, worker_vs_node: (r['median_ms'] as number) / nodeMs } : {}),
      };
      if (JSON_OUT) console.log(JSON.stringify(row));
      else
        console.log(
          `${String(r['method']).padEnd(34)} ${kind.padEnd(9)} n=${n} worker ${(r['median_ms'] as number).toFixed(3)} ms` +
            (nodeMs ? ` node ${nodeMs.toFixed(3)} ms (worker/node ${(row as { worker_vs_node: number }).worker_vs_node.toFixed(2)}x)` : '') +
            ` recall@${K} ${(r['recall_at_k'] as number).toFixed(3)} build ${(r['build_ms'] as number).toFixed(0)} ms`,
        );
    }
  }
} finally {
  await session.close();
  await lab.server.close();
}
