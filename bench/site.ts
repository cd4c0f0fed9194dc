// `npm run bench:site [-- --json] [-- --model ID] [-- --dtype q8|fp32|fp16] [-- --sparse ID]`: a static
// documentation site (the Vite docs, ../shared/corpora/vite-docs, rendered to HTML)
// indexed by pagesense (without and with the learned-sparse side) and by Pagefind
// alone, searched in Chromium from a plain static server, side by side in one run.
// One JSON line per row with --json.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { launch } from '../e2e/browser.ts';
import { serveStatic } from '../e2e/static-server.ts';
import { createFlatIndex } from '../src/core/kernel/flat-index.ts';
import { rescoreHits } from '../src/core/kernel/rescore.ts';
import type { SiteManifest, SitePassage } from '../src/core/site-index.ts';
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import { createIndexer } from '../src/indexer/indexer.ts';
import { folderBytes } from '../src/indexer/site-index-writer.ts';
import type { Dtype } from '../src/core/manifest.ts';
import { CONFIG_FILES, DTYPE_FILES } from '../src/models/model-files.ts';
import * as pagefind from 'pagefind';
import { readSitePages } from '../src/indexer/site-files.ts';
import { MODELS_ROOT } from '../scripts/forge/forge.ts';
import { renderCorpusSite } from './corpus.ts';
import { median, pagefindIndexBytes, servedPaths, sparseIndexBytes, sparseRuntimeRate, sparseVisit } from './site-sparse.ts';

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const MODEL = args.includes('--model') ? args[args.indexOf('--model') + 1]! : 'pagesense-test/bge-small-arch';
// What a WASM page loads of the Hub's models (the registry's WASM dtype), for the generated stand-in too.
const DTYPE = (args.includes('--dtype') ? args[args.indexOf('--dtype') + 1]! : 'q8') as Dtype;
// The generated BGE-small-sized MLM stands in for a real sparse encoder: honest speed, meaningless rankings.
const SPARSE_MODEL = args.includes('--sparse') ? args[args.indexOf('--sparse') + 1]! : 'pagesense-test/sparse-bge-small-arch';
const CORPUS = join(process.cwd(), '..', 'shared', 'corpora', 'vite-docs');
const QUERIES = [
  'how do I configure a proxy for the dev server',
  'environment variables in client code',
  'build a library',
  'css modules',
  'server side rendering entry',
  'hot module replacement API',
  'static asset handling',
  'deploying to GitHub Pages',
  'optimize dependencies',
  'worker import',
];
const log = (s: string) => !JSON_OUT && console.log(s);
const brotli = (path: string) => brotliCompressSync(readFileSync(path)).length;

if (!existsSync(CORPUS)) throw new Error(`bench:site needs ${CORPUS} (see ../shared/corpora/README.md)`);
if (!existsSync('dist/widget.js')) throw new Error('bench:site serves the built package: run npm run build:package first');
const work = mkdtempSync(join(tmpdir(), 'pagesense-bench-site-'));
const site = join(work, 'site');

// 1. The site: every Markdown page rendered to HTML, as a docs build would serve it.
renderCorpusSite(site);

// 2. Our index (embedding timed), a re-run, and Pagefind alone on the same HTML.
const indexer = await createIndexer({ model: MODEL, dtype: DTYPE, localModelPath: MODELS_ROOT, allowRemoteModels: false, cacheDir: join(work, 'cache') });
let pps = 0;
log(`indexing ${site} with ${MODEL} (${DTYPE})…`);
const first = await indexer.index(site, { onProgress: (p) => p.status === 'embed' && (pps = p.passagesPerSecond) });
const again = await indexer.index(site);
await indexer.dispose();
// The same site with the sparse side (the dense vectors come from the cache), into its own folder.
const sparseIndexer = await createIndexer({
  model: MODEL,
  dtype: DTYPE,
  localModelPath: MODELS_ROOT,
  allowRemoteModels: false,
  cacheDir: join(work, 'cache'),
  sparse: SPARSE_MODEL,
});
let sparsePps = 0;
log(`sparse-encoding ${site} with ${SPARSE_MODEL}…`);
const withSparse = await sparseIndexer.index(site, {
  out: join(work, 'sparse-out'),
  onProgress: (p) => p.status === 'sparse' && (sparsePps = p.passagesPerSecond),
});
await sparseIndexer.dispose();
const manifest: SiteManifest = first.manifest;
const pages = readSitePages(site).filter((p) => !p.file.startsWith('pagesense/'));
const pagefindOnly = join(work, 'pagefind-only');
// Pagefind the way its users run it: the pages' own HTML, its own content rules.
{
  const { index } = await pagefind.createIndex({});
  for (const page of pages) await index!.addHTMLFile({ url: `/${page.url}`, content: page.html });
  await index!.writeFiles({ outputPath: join(pagefindOnly, 'pagefind') });
  await pagefind.close();
}

// 3. The same texts through the runtime directly: the throughput bench:embed measures.
const passages = manifest.passages.flatMap((s) => JSON.parse(readFileSync(join(first.out, s.file), 'utf8')) as SitePassage[]);
const embedder = await loadTransformersEmbedder({
  model: MODEL,
  device: 'cpu',
  dtype: manifest.model.dtype,
  localModelPath: MODELS_ROOT + '/',
  allowRemoteModels: false,
  batchSize: 32,
  maxBatchTokens: 8192,
});
const t0 = performance.now();
for (let i = 0; i < passages.length; i += 256)
  await embedder.embed(
    passages.slice(i, i + 256).map((p) => p.text),
    'passage',
  );
const baselinePps = passages.length / ((performance.now() - t0) / 1000);
const sparseBaselinePps = await sparseRuntimeRate(
  SPARSE_MODEL,
  MODELS_ROOT,
  passages.map((p) => p.text),
);

// 4. recall@10 of what ships (int8 scan, 40 candidates rescored from float32) against exact float32.
const dim = manifest.model.dimension;
const f32 = new Float32Array(passages.length * dim);
manifest.vectors.forEach((s, i) => f32.set(new Float32Array(readFileSync(join(first.out, s.file)).buffer.slice(0)), i * 512 * dim));
const codes = new Int8Array(readFileSync(join(first.out, manifest.codes.file)).buffer.slice(0));
const exact = createFlatIndex({ dimension: dim, normalize: false });
exact.add(f32);
const scan = createFlatIndex({
  dimension: dim,
  precision: 'int8',
  ranges: { min: Float32Array.from(manifest.ranges.min), max: Float32Array.from(manifest.ranges.max) },
  keepFloat: false,
  normalize: false,
});
scan.addCodes(codes);
const headings = [...new Set(passages.map((p) => p.headingPath.at(-1) ?? p.title))].slice(0, 100);
const { vectors: qv } = await embedder.embed(headings, 'query');
await embedder.dispose();
let kept = 0;
for (let i = 0; i < headings.length; i++) {
  const q = qv.subarray(i * dim, (i + 1) * dim);
  const want = new Set(exact.search(q, { k: 10 }).map((h) => h.index));
  // What the page does: 40 int8 candidates, re-ranked by their float32 rows.
  const candidates = scan.search(q, { k: 40, rescore: 1 });
  const rescored = rescoreHits(q, 0, dim, candidates, f32, (i) => candidates[i]!.index * dim, 10);
  kept += rescored.filter((h) => want.has(h.index)).length;
}
const recallAt10 = kept / (headings.length * 10);

// 5. Chromium over a plain static server: our widget, and Pagefind's runtime alone.
cpSync('dist', join(site, 'pagesense-assets'), { recursive: true, filter: (p) => !p.includes('/types') && !p.endsWith('.map') });
cpSync(join(MODELS_ROOT, MODEL), join(site, 'models', MODEL), { recursive: true });
cpSync(join(pagefindOnly, 'pagefind'), join(site, 'pagefind-only'), { recursive: true });
cpSync(withSparse.out, join(site, 'pagesense-sparse'), { recursive: true });
writeFileSync(
  join(site, 'ours-sparse.html'),
  '<!doctype html><meta charset="utf-8"><title>ours, sparse</title><pagesense-search index="/pagesense-sparse/" models="/models/" remote-models="false" warm="focus"></pagesense-search><script type="module" src="/pagesense-assets/widget.js"></script>',
);
writeFileSync(join(site, 'favicon.ico'), '');
writeFileSync(
  join(site, 'ours.html'),
  '<!doctype html><meta charset="utf-8"><title>ours</title><pagesense-search index="/pagesense/" models="/models/" remote-models="false" warm="focus"></pagesense-search><script type="module" src="/pagesense-assets/widget.js"></script>',
);
writeFileSync(join(site, 'pagefind.html'), '<!doctype html><meta charset="utf-8"><title>pagefind</title><p>Pagefind alone</p>');
const server = await serveStatic(site);
const profileDir = mkdtempSync(join(tmpdir(), 'pagesense-bench-profile-'));
let session = await launch({ profileDir });
let page = session.page;
const sentSince = (mark: Map<string, number>, filter: (p: string) => boolean) =>
  [...server.sent].reduce((t, [p, b]) => t + (filter(p) ? b - (mark.get(p) ?? 0) : 0), 0);
try {
  // Pagefind alone: its runtime, then one query, results' data loaded as its UI would.
  await page.goto(`${server.url}pagefind.html`);
  let mark = new Map(server.sent);
  /** Pagefind's own runtime, as its UI uses it: search, then the data of the first five results. */
  const pagefindQueries = (queries: string[]) =>
    page.evaluate(async (qs) => {
      const pf = await (new Function('u', 'return import(u)') as (u: string) => Promise<any>)('/pagefind-only/pagefind.js');
      await pf.options({ basePath: '/pagefind-only/', baseUrl: '/' });
      const times: number[] = [];
      for (const q of qs) {
        const t = performance.now();
        const r = await pf.search(q);
        await Promise.all(r.results.slice(0, 5).map((x: any) => x.data()));
        times.push(performance.now() - t);
      }
      return times;
    }, queries) as Promise<number[]>;
  const pfTimes = await pagefindQueries(QUERIES.slice(0, 1));
  const pfFirstQuery = sentSince(mark, (p) => p.startsWith('/pagefind-only/'));
  const pfFirstQueryServed = servedPaths(
    site,
    [...server.sent].filter(([p, b]) => p.startsWith('/pagefind-only/') && b !== mark.get(p)).map(([p]) => p),
  );
  const pfMore = await pagefindQueries(QUERIES);

  // Ours: the first answer (lexical, before the model), then focus (the model loads on intent), then hybrid queries.
  const el = 'document.querySelector("pagesense-search")';
  const heavy = (p: string) => p.startsWith('/models/') || p.startsWith('/pagesense-assets/ort/') || p.endsWith('embed.worker.js');
  /** A visit: the page, focus, the model ready, the first hybrid answer; ms from focus and bytes per kind. */
  const hybridVisit = async () => {
    const start = new Map(server.sent);
    await page.goto(`${server.url}ours.html`);
    await page.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
    const t0 = Date.now();
    await page.locator('pagesense-search input').focus();
    await page.waitForFunction(
      () =>
        (document.querySelector('pagesense-search') as any).engine.status.model !== 'loading' &&
        (document.querySelector('pagesense-search') as any).engine.status.model !== 'idle',
      undefined,
      { timeout: 600_000 },
    );
    const status = (await page.evaluate(`${el}.engine.status`)) as { model: string; reason?: string };
    if (status.model !== 'ready') throw new Error(`the model did not load in the page: ${status.reason}`);
    const readyMs = Date.now() - t0;
    await page.evaluate(`${el}.search(${JSON.stringify(QUERIES[0])})`);
    const firstQuery = (await page.evaluate(`${el}.engine.lastSearch`)) as { embedMs: number; totalMs: number };
    return {
      ms: Date.now() - t0,
      readyMs,
      firstQueryMs: firstQuery.totalMs,
      bytes: sentSince(start, () => true),
      heavyBytes: sentSince(start, heavy),
      modelBytes: sentSince(start, (p) => p.startsWith('/models/')),
    };
  };
  await page.goto(`${server.url}ours.html`);
  mark = new Map(server.sent);
  await page.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
  await page.evaluate(`${el}.search(${JSON.stringify(QUERIES[0])})`);
  const firstAnswer = sentSince(mark, (p) => p.startsWith('/pagesense'));
  const fetchedBefore = (await page.evaluate(`({ ...${el}.engine.fetched })`)) as Record<string, number>;
  mark = new Map(server.sent);
  // The first visit's hybrid answer, in the same page: focus, model, first semantic query.
  const t0 = Date.now();
  await page.locator('pagesense-search input').focus();
  await page.waitForFunction(() => ['ready', 'unavailable'].includes((document.querySelector('pagesense-search') as any).engine.status.model), undefined, {
    timeout: 600_000,
  });
  const status = (await page.evaluate(`${el}.engine.status`)) as { model: string; reason?: string };
  if (status.model !== 'ready') throw new Error(`the model did not load in the page: ${status.reason}`);
  const readyMs = Date.now() - t0;
  const modelBytes = sentSince(mark, (p) => p.startsWith('/models/'));
  await page.evaluate(`${el}.search("how do I configure a proxy for the dev server")`);
  const firstHybridMs = Date.now() - t0;
  const firstHybridBytes = firstAnswer + sentSince(mark, () => true);
  const fetchedAfter = (await page.evaluate(`({ ...${el}.engine.fetched })`)) as Record<string, number>;
  const firstQueryBytes = ['codes', 'keys', 'vectors', 'passages'].reduce((t, k) => t + fetchedAfter[k]! - (fetchedBefore[k] ?? 0), 0);
  const firstQueryMs = ((await page.evaluate(`${el}.engine.lastSearch`)) as { totalMs: number }).totalMs;
  // The rest of the float32 rows arrive in the background a moment after the first semantic query.
  await page.waitForTimeout(3000);
  const queryMs: number[] = [];
  for (const q of QUERIES) {
    await page.evaluate(`${el}.search(${JSON.stringify(q)})`);
    const t = (await page.evaluate(`${el}.engine.lastSearch`)) as { embedMs: number; totalMs: number };
    queryMs.push(t.totalMs - t.embedMs);
  }
  // A second visit: the browser restarted on the same profile (HTTP cache and Cache API kept).
  await session.close();
  session = await launch({ profileDir });
  page = session.page;
  const second = await hybridVisit();
  // A first visit to the page whose index has the sparse side: nothing cached, no model.
  const sparse = await sparseVisit(server, site, 'ours-sparse.html', QUERIES);
  if (sparse.sides.join() !== 'lexical,sparse') throw new Error(`the sparse page answered with ${sparse.sides.join(', ')}`);

  const assets = join(site, 'pagesense-assets');
  const pf = join(site, 'pagefind-only');
  // What a WASM page loads of ours, brotli, per file.
  const runtimeFiles = Object.fromEntries(
    ['widget.js', 'embed.worker.js', 'ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm'].map((f) => [f, brotli(join(assets, f))]),
  );
  const ourRuntime = Object.values(runtimeFiles).reduce((t, b) => t + b, 0);
  const modelFileBytes = [...CONFIG_FILES, DTYPE_FILES[manifest.model.dtype]!].reduce((t, f) => t + statSync(join(MODELS_ROOT, MODEL, f)).size, 0);
  // Pagefind's wasm is per language (wasm.<lang>.pagefind): the one(s) its index wrote.
  const pfWasm = readdirSync(pf).filter((f) => /^wasm\..+\.pagefind$/.test(f));
  const pfRuntime = ['pagefind.js', 'pagefind-worker.js', ...pfWasm.slice(0, 1)].reduce((t, f) => t + brotli(join(pf, f)), 0);
  const rows = [
    {
      peer: false,
      pages: manifest.counts.pages,
      passages: manifest.counts.passages,
      index_bytes: folderBytes(first.out),
      first_answer_bytes: firstAnswer,
      first_query_bytes: firstQueryBytes,
      runtime_bytes: ourRuntime,
      runtime_files: runtimeFiles,
      dtype: manifest.model.dtype,
      model_bytes: modelBytes,
      model_file_bytes: modelFileBytes,
      first_hybrid_bytes: firstHybridBytes,
      first_hybrid_ms: firstHybridMs,
      first_hybrid_split_ms: { model_ready: readyMs, first_query: +firstQueryMs.toFixed(1) },
      second_visit_bytes: second.heavyBytes,
      second_visit_hybrid_ms: second.ms,
      second_visit_split_ms: { model_ready: second.readyMs, first_query: +second.firstQueryMs.toFixed(1) },
      reindex_embedded: again.embedded,
      passages_per_second: +pps.toFixed(1),
      query_ms: +median(queryMs).toFixed(1),
      recall_at_10: +recallAt10.toFixed(4),
      sparse_model: SPARSE_MODEL,
      sparse_index_bytes: sparseIndexBytes(withSparse.out, withSparse.manifest),
      first_sparse_answer_bytes: sparse.firstAnswerBytes,
      sparse_query_ms: +sparse.queryMs.toFixed(2),
      sparse_cold_query_ms: +sparse.coldQueryMs.toFixed(2),
      sparse_passages_per_second: +sparsePps.toFixed(1),
      sparse_runtime_passages_per_second: +sparseBaselinePps.toFixed(1),
    },
    {
      peer: 'pagefind',
      pages: pages.length,
      passages: null,
      index_bytes: folderBytes(pf),
      first_answer_bytes: pfFirstQuery,
      first_query_bytes: pfFirstQuery,
      runtime_bytes: pfRuntime,
      runtime_files: null,
      dtype: null,
      model_bytes: 0,
      model_file_bytes: 0,
      first_hybrid_bytes: null,
      first_hybrid_ms: +(pfTimes[0] ?? NaN).toFixed(1),
      first_hybrid_split_ms: null,
      second_visit_bytes: null,
      second_visit_hybrid_ms: null,
      second_visit_split_ms: null,
      reindex_embedded: null,
      passages_per_second: null,
      query_ms: +median([...pfTimes, ...pfMore]).toFixed(1),
      recall_at_10: null,
      sparse_model: null,
      /** Pagefind's index (not its runtime), served bytes: what sparse_index_bytes is held to. */
      sparse_index_bytes: pagefindIndexBytes(pf),
      /** Pagefind's first query in served bytes (the same rule as ours). */
      first_sparse_answer_bytes: pfFirstQueryServed,
      sparse_query_ms: null,
      sparse_cold_query_ms: null,
      sparse_passages_per_second: null,
      sparse_runtime_passages_per_second: null,
    },
  ];
  if (JSON_OUT) for (const r of rows) console.log(JSON.stringify(r));
  else {
    const [o, p] = rows as [{ [K in keyof (typeof rows)[0]]: NonNullable<(typeof rows)[0][K]> }, (typeof rows)[1]];
    console.log(JSON.stringify(o));
    console.log(JSON.stringify(p));
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`goals:
  first_answer_bytes ${kb(o.first_answer_bytes)} vs Pagefind's first query ${kb(p.first_answer_bytes)} + 30 KB: ${o.first_answer_bytes <= p.first_answer_bytes + 30 * 1024 ? 'met' : 'missed'}
  first_query_bytes ${kb(o.first_query_bytes)} = ${((o.first_query_bytes / o.index_bytes) * 100).toFixed(1)}% of index_bytes ${kb(o.index_bytes)} (goal <= 25%): ${o.first_query_bytes <= 0.25 * o.index_bytes ? 'met' : 'missed'}
  reindex_embedded ${o.reindex_embedded} (goal 0): ${o.reindex_embedded === 0 ? 'met' : 'missed'}
  recall_at_10 ${o.recall_at_10} (goal >= 0.99): ${o.recall_at_10 >= 0.99 ? 'met' : 'missed'}
  passages_per_second ${o.passages_per_second} vs the runtime alone ${baselinePps.toFixed(1)} (${((o.passages_per_second / baselinePps) * 100).toFixed(0)}%, goal >= 90%): ${o.passages_per_second >= 0.9 * baselinePps ? 'met' : 'missed'}
  query_ms ${o.query_ms} (warm, query embedding excluded; goal <= 50): ${o.query_ms <= 50 ? 'met' : 'missed'}
  runtime_bytes ${kb(o.runtime_bytes)} brotli on a WASM page (goal <= 2.9 MB): ${o.runtime_bytes <= 2.9 * 1024 * 1024 ? 'met' : 'missed'}
  model_bytes ${kb(o.model_bytes)} vs model_file_bytes ${kb(o.model_file_bytes)} (${o.dtype}; goal <= 1.05x): ${o.model_bytes <= 1.05 * o.model_file_bytes ? 'met' : 'missed'}
  second_visit_bytes ${o.second_visit_bytes} (model and runtime; goal 0): ${o.second_visit_bytes === 0 ? 'met' : 'missed'}
  first_hybrid_ms ${o.first_hybrid_ms} from focus (model ready ${o.first_hybrid_split_ms.model_ready} ms: download, compile, session; first hybrid query ${o.first_hybrid_split_ms.first_query} ms), first_hybrid_bytes ${kb(o.first_hybrid_bytes)}
  first_sparse_answer_bytes ${kb(o.first_sparse_answer_bytes)} served vs Pagefind's first query ${kb(p.first_sparse_answer_bytes)} served + 150 KB, and <= 500 KB: ${o.first_sparse_answer_bytes <= p.first_sparse_answer_bytes + 150 * 1024 && o.first_sparse_answer_bytes <= 500 * 1024 ? 'met' : 'missed'}
  sparse_index_bytes ${kb(o.sparse_index_bytes)} served vs Pagefind's index ${kb(p.sparse_index_bytes)} served (${(o.sparse_index_bytes / p.sparse_index_bytes).toFixed(2)}x, goal <= 3x): ${o.sparse_index_bytes <= 3 * p.sparse_index_bytes ? 'met' : 'missed'}
  sparse_query_ms ${o.sparse_query_ms} (warm: the query's files already fetched, as query_ms; goal <= 20): ${o.sparse_query_ms <= 20 ? 'met' : 'missed'}; on first asking, fetches from localhost included: ${o.sparse_cold_query_ms} ms
  sparse_passages_per_second ${o.sparse_passages_per_second} vs the runtime alone ${o.sparse_runtime_passages_per_second} (${((o.sparse_passages_per_second / o.sparse_runtime_passages_per_second) * 100).toFixed(0)}%, goal >= 90%): ${o.sparse_passages_per_second >= 0.9 * o.sparse_runtime_passages_per_second ? 'met' : 'missed'} (${o.sparse_model}: generated weights, speed only)
  second_visit_hybrid_ms ${o.second_visit_hybrid_ms} (model ready ${o.second_visit_split_ms.model_ready} ms: compile and session only; first query ${o.second_visit_split_ms.first_query} ms) vs Pagefind's first answer ${p.first_hybrid_ms} ms`);
  }
} finally {
  await session.close();
  await server.close();
}
