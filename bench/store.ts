// `npm run bench:store [-- --json] [-- --n 100000] [-- --opens 5]`: IndexedDB write and
// open times in Chromium: our block store (float32 from IndexedDB alone, float32
// with its vector file in OPFS, int8 codes) against one record per vector, same run. Every open happens in a freshly loaded page, as a
// visitor's would, and must rank a probe row's own document first.
import { launch } from '../e2e/browser.ts';
import { startLabServer } from '../e2e/lab-server.ts';

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const N = arg('--n', 100_000);
/** Small commits, as SearchIndex makes while embedding (commitBatch 32): transaction-bound, so a smaller n. */
const SMALL_N = Math.min(N, arg('--small-n', 10_000));
const SMALL_BATCH = 32;
const OPENS = arg('--opens', 5);
const D = 384;

type Result = {
  ms: number;
  bytesPerVector?: number;
  rows?: number;
  probe?: string;
  searchMs?: number;
  secondSearchMs?: number;
  copyMs?: number;
  fileBlocks?: number;
};
const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;

const lab = await startLabServer();
const session = await launch();
const page = session.page;
/** `query` '?isolation=off' loads the page without COOP/COEP: no shared memory, as on most static hosts. */
const callOn = async (query: string, fn: string, ...a: (number | string | boolean)[]): Promise<Result> => {
  await page.goto(`${lab.url}bench/browser/store.html${query}`); // a fresh page for every step
  await page.waitForFunction(() => document.title === 'ready');
  return (await page.evaluate(([f, params]) => (globalThis as any).bench[f as string](...(params as unknown[])), [fn, a] as const)) as Result;
};
const call = (fn: string, ...a: (number | string | boolean)[]) => callOn('', fn, ...a);

const FULL_BLOCKS = Math.floor(N / 2048);
const cases = [
  { peer: false, precision: 'float32', storage: 'indexeddb', write: ['writeOurs', N, D, 'none'], open: ['openOurs', N, D, 'none'] },
  // The default on cross-origin isolated pages: full blocks also copied to one OPFS file as they seal.
  { peer: false, precision: 'float32', storage: 'indexeddb+opfs', write: ['writeOurs', N, D, 'none', 8192, true], open: ['openOurs', N, D, 'none', true] },
  // The same database opened by a page that is not cross-origin isolated: the file comes as one copied buffer.
  { peer: false, precision: 'float32', storage: 'indexeddb+opfs-copy', query: '?isolation=off', write: null, open: ['openOurs', N, D, 'none', true] },
  { peer: false, precision: 'int8', write: ['writeOurs', N, D, 'int8'], open: ['openOurs', N, D, 'int8'] },
  { peer: 'naive', precision: 'float32', write: ['writeNaive', N, D], open: ['openNaive', N, D] },
] as const;

try {
  const rows: Record<string, unknown>[] = [];
  const expectProbe = `doc-${Math.min(12345, N - 1)}`;
  // Small commits first, in the fresh profile: the big databases' deletion would skew the usage estimate.
  for (const [peer, fn, extra] of [
    [false, 'writeOurs', ['none']],
    ['naive', 'writeNaive', []],
  ] as const) {
    const w = await call(fn, SMALL_N, D, ...extra, SMALL_BATCH);
    rows.push({ method: 'write', n: SMALL_N, d: D, median_ms: w.ms, bytes_per_vector: w.bytesPerVector, peer, precision: 'float32', batch: SMALL_BATCH });
  }

  for (const c of cases) {
    const [of, ...oa] = c.open;
    const storage = 'storage' in c ? { storage: c.storage } : {};
    const query = 'query' in c ? c.query : '';
    let w: Result;
    if (c.write) {
      const [wf, ...wa] = c.write;
      w = await call(wf, ...wa);
      rows.push({
        method: 'write',
        n: N,
        d: D,
        median_ms: w.ms,
        bytes_per_vector: w.bytesPerVector,
        peer: c.peer,
        precision: c.precision,
        batch: 8192,
        ...storage,
      });
    } else {
      w = { ms: 0, bytesPerVector: rows.at(-1)!['bytes_per_vector'] as number }; // the previous case's database
    }
    if ('storage' in c && c.storage === 'indexeddb+opfs') {
      if (w.fileBlocks !== FULL_BLOCKS) throw new Error(`the vector file holds ${w.fileBlocks} of ${FULL_BLOCKS} blocks after the write`);
      if (!JSON_OUT) console.log(`  writeOurs with vector files: the copy to the file ended ${w.copyMs!.toFixed(0)} ms after the last append`);
    }
    const times: number[] = [];
    const searches: number[] = [];
    const seconds: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const o = await callOn(query, of, ...oa);
      if (o.rows !== N || o.probe !== expectProbe) throw new Error(`${of} ${c.precision} loaded ${o.rows} rows and ranked ${o.probe} first for the probe`);
      times.push(o.ms);
      if (o.searchMs !== undefined) searches.push(o.searchMs);
      if (o.secondSearchMs !== undefined) seconds.push(o.secondSearchMs);
    }
    if (!JSON_OUT) {
      const s = searches.length
        ? `; search (k=10${c.precision === 'int8' ? ', 40 candidates re-ranked from stored float rows' : ''}) first ${median(searches).toFixed(1)} ms, next (another query) ${median(seconds).toFixed(1)} ms`
        : '';
      console.log(`  ${of} ${c.precision}${'storage' in c ? ` ${c.storage}` : ''}: ${times.map((t) => t.toFixed(0)).join(' ')} ms${s}`);
    }
    rows.push({ method: 'open', n: N, d: D, median_ms: median(times), bytes_per_vector: w.bytesPerVector, peer: c.peer, precision: c.precision, ...storage });
  }
  // The first lexical search after an open: from every document (no saved index yet) against the saved index.
  const lexical = [] as (Result & { saved: boolean })[];
  for (let i = 0; i < 4; i++) lexical.push((await call('firstLexicalSearch', N, D)) as Result & { saved: boolean });
  for (const [i, l] of lexical.entries()) {
    if (l.probe !== expectProbe || l.saved !== i > 0) throw new Error(`firstLexicalSearch ${i}: ranked ${l.probe} first, saved index ${l.saved}`);
  }
  const built = lexical[0]!.ms;
  const loaded = median(lexical.slice(1).map((l) => l.ms));
  const lexicalRow = { method: 'first-lexical-search', n: N, median_ms: loaded, before_ms: built, peer: false, storage: 'indexeddb' };
  if (JSON_OUT) console.log(JSON.stringify(lexicalRow));
  else
    console.log(
      `lexical pagesense  n=${N} first search after an open: ${loaded.toFixed(0)} ms from the saved index (median of 3), ${built.toFixed(0)} ms building it from the documents: ${(built / loaded).toFixed(1)}x`,
    );
  // One document deleted from the opened 100k collection, against the delete + full re-read it used to cost.
  const deletes: { storage: string; ms: number; reloadMs: number }[] = [];
  for (const [storage, files] of [
    ['indexeddb', false],
    ['indexeddb+opfs', true],
  ] as const) {
    const ms: number[] = [];
    const reloadMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const victim = 1000 + 10 * i; // never the probe row
      const r = await call('deleteOne', N, D, files, victim);
      if (r.rows !== N - 2 * (i + 1) || r.probe !== expectProbe) throw new Error(`deleteOne left ${r.rows} rows and ranked ${r.probe} first for the probe`);
      ms.push(r.ms);
      reloadMs.push((r as Result & { reloadMs: number }).reloadMs);
    }
    deletes.push({ storage, ms: median(ms), reloadMs: median(reloadMs) });
    rows.push({ method: 'delete-one', n: N, d: D, median_ms: median(ms), before_ms: median(reloadMs), peer: false, precision: 'float32', storage });
  }
  await call('clearAll');
  for (const r of rows) {
    if (r['method'] === 'delete-one') {
      if (JSON_OUT) console.log(JSON.stringify(r));
      else
        console.log(
          `delete pagesense  float32  ${r['storage']} n=${r['n']} one document: median ${(r['median_ms'] as number).toFixed(1)} ms in place, ${(r['before_ms'] as number).toFixed(0)} ms as before (delete + full re-read): ${((r['before_ms'] as number) / (r['median_ms'] as number)).toFixed(0)}x`,
        );
      continue;
    }
    if (JSON_OUT) console.log(JSON.stringify(r));
    else
      console.log(
        `${String(r['method']).padEnd(6)} ${String(r['peer'] || 'pagesense').padEnd(10)} ${String(r['precision']).padEnd(8)}${r['storage'] ? ` ${r['storage']}` : ''} n=${r['n']} d=${r['d']}${r['batch'] ? ` ${r['batch']}/tx` : ''} median ${(r['median_ms'] as number).toFixed(0)} ms  ${(r['bytes_per_vector'] as number).toFixed(0)} B/vector on disk`,
      );
  }
  if (!JSON_OUT) {
    const get = (m: string, p: string | false, prec = 'float32', batch = 8192, storage?: string) =>
      rows.find((r) => r['method'] === m && r['peer'] === p && r['precision'] === prec && r['storage'] === storage && (m === 'open' || r['batch'] === batch))![
        'median_ms'
      ] as number;
    const f32 = get('open', false, 'float32', 0, 'indexeddb');
    const files = get('open', false, 'float32', 0, 'indexeddb+opfs');
    const naive = get('open', 'naive');
    const copied = get('open', false, 'float32', 0, 'indexeddb+opfs-copy');
    console.log(
      `ratios: open ${(naive / files).toFixed(1)}x faster than naive with vector files (the default where OPFS is there), ${(naive / copied).toFixed(1)}x on a page without cross-origin isolation, ${(naive / f32).toFixed(1)}x from IndexedDB alone, int8 ${(naive / get('open', false, 'int8')).toFixed(1)}x; int8 opens in ${(get('open', false, 'int8') / f32).toFixed(2)} of the float32 time (IndexedDB alone); write ${(get('write', 'naive') / get('write', false, 'float32', 8192, 'indexeddb')).toFixed(1)}x faster than naive (8192/tx; ${(get('write', 'naive') / get('write', false, 'float32', 8192, 'indexeddb+opfs')).toFixed(1)}x with vector files), ${(get('write', 'naive', 'float32', SMALL_BATCH) / get('write', false, 'float32', SMALL_BATCH)).toFixed(1)}x at ${SMALL_BATCH}/tx`,
    );
  }
} finally {
  await session.close();
  await lab.server.close();
}
