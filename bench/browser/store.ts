// Chromium side of bench:store: our block store against one record per vector.
// Each step is its own call so the driver can open every collection in a freshly
// loaded page, as a visitor would: no warm heap, no leftovers from the write.
import { openDB, deleteDB } from 'idb';
import { createFlatIndex } from '../../src/core/kernel/flat-index.ts';
import type { CollectionQuantization } from '../../src/core/manifest.ts';
import type { Embedder } from '../../src/embedding/embedder.ts';
import { createSearchIndex } from '../../src/search/search-index.ts';
import { openIndexedDBStore } from '../../src/storage/indexeddb-store.ts';
import { makeData } from '../../test/helpers/seeded-vectors.ts';

const spec = { modelId: 'bench/model', revision: 'main', dimension: 0, pooling: 'cls' as const, normalized: true, queryInstruction: '' };
const usage = async () => (await navigator.storage.estimate()).usage ?? 0;
const BATCH = 8192;
const PROBE_ROW = 12345;

const docsFor = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `doc-${i}`,
    text: `Passage ${i}: a short stand-in text of about one hundred characters, as a document would be.`,
  }));

/** Row PROBE_ROW of the data (the last row of a smaller set): each store must rank its own document first for it. */
let probeRow: Float32Array | undefined;
const probe = (d: number, n = PROBE_ROW + 1) => {
  const row = Math.min(PROBE_ROW, n - 1);
  probeRow ??= makeData('random', row + 1, 0, d, 7).corpus.subarray(row * d);
  return probeRow;
};

/** A second query with other candidates, so the next search's re-ranking reads are not all cached. */
let otherRow: Float32Array | undefined;
const other = (d: number, n: number) => {
  const row = Math.min(4242, n - 2);
  otherRow ??= makeData('random', row + 1, 0, d, 7).corpus.subarray(row * d);
  return otherRow;
};

/** Stands in for the model at search time: 'probe' embeds to the probe row, anything else to another row. */
function probeEmbedder(d: number, n: number): Embedder {
  return {
    info: { ...spec, dimension: d, device: 'wasm', dtype: 'fp32', deviceReason: 'bench', generated: true, source: 'memory' },
    embed: async ([text]) => ({ vectors: text === 'probe' ? probe(d, n) : other(d, n), truncated: [false] }),
    dispose: async () => {},
  };
}

/** Small-commit runs get databases of their own, kept until clearAll: deleting one mid-run would skew the next usage estimate. */
const dbName = (kind: string, batch: number) => `bench-${kind}${batch === BATCH ? '' : `-b${batch}`}`;

/** Ours with vector files (`files`) lives in a database of its own: the file is part of what is measured. */
const oursName = (quantization: CollectionQuantization, files: boolean, batch = BATCH) => dbName(`ours-${quantization}${files ? '-opfs' : ''}`, batch);

/**
 * ms: until the last append resolved (everything durable in IndexedDB). With vector
 * files the sealed blocks are then still being copied to the file in the background:
 * copyMs waits for that, and the bytes on disk include the file.
 */
async function writeOurs(n: number, d: number, quantization: CollectionQuantization, batch = BATCH, files = false) {
  const db = oursName(quantization, files, batch);
  await deleteDB(db);
  const { corpus } = makeData('random', n, 0, d, 7);
  const docs = docsFor(n);
  const before = await usage();
  const t0 = performance.now();
  const store = await openIndexedDBStore({ databaseName: db, vectorFiles: files });
  await store.openCollection('c', { ...spec, dimension: d }, { quantization });
  for (let s = 0; s < n; s += batch) await store.append('c', docs.slice(s, s + batch), corpus.subarray(s * d, Math.min(n, s + batch) * d));
  const ms = performance.now() - t0;
  await store.whenIdle?.();
  const copyMs = performance.now() - t0 - ms;
  store.close();
  return { ms, copyMs, fileBlocks: await fileBlocks(db), bytesPerVector: ((await usage()) - before) / n };
}

/** What a page does to become ready: open the database, then createSearchIndex streams the blocks into the scan index. */
async function openOurs(n: number, d: number, quantization: CollectionQuantization, files = false) {
  probe(d, n); // computed before the clock starts
  other(d, n);
  const t0 = performance.now();
  const store = await openIndexedDBStore({ databaseName: oursName(quantization, files), vectorFiles: files });
  const index = await createSearchIndex({ embedder: probeEmbedder(d, n), store, collection: 'c', watch: false });
  const ms = performance.now() - t0;
  const t1 = performance.now();
  const [top] = await index.search('probe', { k: 10, mode: 'vector' });
  const searchMs = performance.now() - t1;
  const t2 = performance.now();
  await index.search('another query', { k: 10, mode: 'vector' });
  const secondSearchMs = performance.now() - t2;
  await index.close();
  return { ms, rows: index.count(), probe: top?.id, searchMs, secondSearchMs };
}

/**
 * One document deleted from an opened collection: ms is today's delete (the store
 * tombstones the row, the scan index drops it in place); reloadMs is what a delete
 * cost before the scan index could remove rows, measured in the same page: the
 * store's delete followed by a full re-read of the collection.
 */
async function deleteOne(n: number, d: number, files: boolean, victim: number) {
  const store = await openIndexedDBStore({ databaseName: oursName('none', files), vectorFiles: files });
  const index = await createSearchIndex({ embedder: probeEmbedder(d, n), store, collection: 'c', watch: false, compactAt: 1 });
  const t0 = performance.now();
  await index.delete([`doc-${victim}`]);
  const ms = performance.now() - t0;
  const t1 = performance.now();
  await index.delete([`doc-${victim + 1}`]);
  await index.reload();
  const reloadMs = performance.now() - t1;
  const [top] = await index.search('probe', { k: 10, mode: 'vector' });
  const rows = index.count();
  await index.close();
  return { ms, reloadMs, rows, probe: top?.id };
}

/**
 * The first lexical search after an open: built from every stored document (the
 * first time, or after a write), or loaded from the index saved for the
 * collection's state. Waits for the save so the next open finds it.
 */
async function firstLexicalSearch(n: number, d: number) {
  const store = await openIndexedDBStore({ databaseName: oursName('none', false), vectorFiles: false });
  const index = await createSearchIndex({ embedder: probeEmbedder(d, n), store, collection: 'c', watch: false });
  const saved = (await store.getDerived!('c', 'lexical'))?.value !== undefined;
  const t0 = performance.now();
  const [top] = await index.search(String(PROBE_ROW), { k: 10, mode: 'lexical' });
  const ms = performance.now() - t0;
  for (let i = 0; i < 600 && !saved && (await store.getDerived!('c', 'lexical'))?.value === undefined; i++) await new Promise((r) => setTimeout(r, 100));
  await index.close();
  return { ms, saved, rows: index.count(), probe: top?.id };
}

/** The vector file's full blocks as the collection record counts them. */
async function fileBlocks(name: string) {
  const db = await openDB(name);
  const rec = await db.get('collections', 'c');
  db.close();
  return (rec?.fileBlocks ?? 0) as number;
}

async function writeNaive(n: number, d: number, batch = BATCH) {
  const name = dbName('naive', batch);
  await deleteDB(name);
  const { corpus } = makeData('random', n, 0, d, 7);
  const docs = docsFor(n);
  const before = await usage();
  const t0 = performance.now();
  const db = await openDB(name, 1, { upgrade: (u) => void u.createObjectStore('vectors', { keyPath: 'id' }) });
  for (let s = 0; s < n; s += batch) {
    const tx = db.transaction('vectors', 'readwrite');
    for (let i = s; i < Math.min(n, s + batch); i++) void tx.store.put({ id: docs[i]!.id, text: docs[i]!.text, vector: corpus.slice(i * d, i * d + d) });
    await tx.done;
  }
  const ms = performance.now() - t0;
  db.close();
  return { ms, bytesPerVector: ((await usage()) - before) / n };
}

async function openNaive(n: number, d: number) {
  probe(d, n);
  const t0 = performance.now();
  const db = await openDB('bench-naive', 1);
  const all = await db.getAll('vectors');
  const m = new Float32Array(all.length * d);
  const ids: string[] = [];
  all.forEach((r, j) => {
    m.set(r.vector as Float32Array, j * d);
    ids.push(r.id as string);
  });
  const index = createFlatIndex({ dimension: d, normalize: false });
  index.add(m);
  const ms = performance.now() - t0;
  db.close();
  return { ms, rows: index.size, probe: ids[index.search(probe(d))[0]!.index] };
}

async function clearAll() {
  for (const db of (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('bench-'))) await deleteDB(db);
}

Object.assign(globalThis, { bench: { writeOurs, openOurs, deleteOne, firstLexicalSearch, writeNaive, openNaive, clearAll } });
document.title = 'ready';
