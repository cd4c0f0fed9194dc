// bench:site's learned-sparse figures, beside Pagefind in the same run: the sparse
// index's bytes, the bytes until the first answer that includes sparse results (a
// fresh browser profile: nothing cached), the sparse side's query time in the page,
// and build-time encoding against the runtime's forward pass alone. Bytes are counted
// as a static host with compression sends them: brotli for files that are not
// already compressed, the file as it is for those that are (Pagefind's gzip chunks),
// the same rule for both tools.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { launch } from '../e2e/browser.ts';
import type { serveStatic } from '../e2e/static-server.ts';
import type { SiteManifest } from '../src/core/site-index.ts';
import { loadSparseEncoder } from '../src/indexer/sparse-encoder.ts';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** What a compressing static host sends for this file. */
export function servedBytes(file: string): number {
  const bytes = readFileSync(file);
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return gzip ? bytes.byteLength : brotliCompressSync(bytes).byteLength;
}

/** Served bytes of the URL paths fetched, read from the site folder. */
export function servedPaths(site: string, paths: Iterable<string>): number {
  let total = 0;
  for (const p of paths) total += servedBytes(join(site, decodeURIComponent(p)));
  return total;
}

/** Pagefind's index, not its runtime: every file of its bundle but the scripts, styles and wasm. */
export function pagefindIndexBytes(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, f);
    if (!statSync(path).isFile() || /\.(js|css)$/.test(f) || /(^|\/)wasm\.[^/]+\.pagefind$/.test(f)) continue;
    total += servedBytes(path);
  }
  return total;
}

/** The sparse side's files (vocabulary and postings), as served. */
export function sparseIndexBytes(out: string, manifest: SiteManifest): number {
  const s = manifest.sparse!;
  return [...Object.values(s.vocabulary), ...s.postings].reduce((t, f) => t + servedBytes(join(out, f)), 0);
}

/** The sparse encoder's forward pass alone over these texts, in the same length-sorted batches: passages per second. */
export async function sparseRuntimeRate(model: string, modelsRoot: string, texts: readonly string[]): Promise<number> {
  const encoder = await loadSparseEncoder({ model, localModelPath: modelsRoot });
  const t0 = performance.now();
  await encoder.forwardOnly(texts);
  const rate = texts.length / ((performance.now() - t0) / 1000);
  await encoder.dispose();
  return rate;
}

export interface SparseVisit {
  /** Served bytes from page load to the first answer with sparse results (widget, Pagefind, sparse files, passages). */
  firstAnswerBytes: number;
  /** The paths that answer fetched. */
  firstAnswerPaths: string[];
  /** Median of lastSearch.sparseMs over the queries asked again (their files already fetched): the sparse side's own time, as query_ms is the dense side's. */
  queryMs: number;
  /** The same on first asking: vocabulary buckets and shards fetched from the server on the way. */
  coldQueryMs: number;
  sides: string[];
}

/** A first visit in a fresh browser profile to `path`, whose element reads a sparse index; no model is loaded. */
export async function sparseVisit(
  server: Awaited<ReturnType<typeof serveStatic>>,
  site: string,
  path: string,
  queries: readonly string[],
): Promise<SparseVisit> {
  const session = await launch();
  try {
    const page = session.page;
    const before = new Set(server.sent.keys());
    const start = new Map(server.sent);
    await page.goto(`${server.url}${path}`);
    await page.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
    const el = 'document.querySelector("pagesense-search")';
    const first = (await page.evaluate(`${el}.search(${JSON.stringify(queries[0])})`)) as { sides: string[] };
    const paths = [...server.sent].filter(([p, b]) => p.startsWith('/pagesense') && (!before.has(p) || b !== start.get(p))).map(([p]) => p);
    const timed = async () => {
      const times: number[] = [];
      for (const q of queries) {
        await page.evaluate(`${el}.search(${JSON.stringify(q)})`);
        times.push(((await page.evaluate(`${el}.engine.lastSearch`)) as { sparseMs: number }).sparseMs);
      }
      return median(times);
    };
    const coldQueryMs = await timed();
    const queryMs = await timed();
    const model = (await page.evaluate(`${el}.engine.status.model`)) as string;
    if (model !== 'idle') throw new Error(`the sparse visit loaded the model (status ${model}); it must not`);
    return { firstAnswerBytes: servedPaths(site, paths), firstAnswerPaths: paths, queryMs, coldQueryMs, sides: first.sides };
  } finally {
    await session.close();
  }
}
