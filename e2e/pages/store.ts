// Test page for the IndexedDB store in Chromium: fills collections with seeded
// vectors and opens them the way the product does (createSearchIndex), so the
// e2e test can compare float32 and int8 collections across page loads.
import { openDB } from 'idb';
import type { CollectionQuantization } from '../../src/core/manifest.ts';
import type { Embedder } from '../../src/embedding/embedder.ts';
import { createSearchIndex } from '../../src/search/search-index.ts';
import { openIndexedDBStore } from '../../src/storage/indexeddb-store.ts';
import { makeData } from '../../test/helpers/seeded-vectors.ts';

const DIM = 64;
/** These collections are a few blocks: read their vector files anyway (the default skips files under 16k rows). */
const SMALL_FILES = { minRows: 0 };
const spec = { modelId: 'e2e/vectors', revision: 'main', dimension: DIM, pooling: 'cls' as const, normalized: true, queryInstruction: '' };
const data = (n: number) => makeData('clustered', n, 16, DIM, 5);

/** "q:3" embeds to the data's query row 3, "row:7" to stored row 7: search goes through the real SearchIndex path. */
function queryEmbedder(n: number): Embedder {
  const { queries, corpus } = data(n);
  return {
    info: { ...spec, device: 'wasm', dtype: 'fp32', deviceReason: 'e2e', generated: true, source: 'memory' },
    embed: async ([text]) => {
      const [, kind, at] = /^(q|row):(\d+)$/.exec(text ?? '') ?? [];
      const i = Number(at);
      return { vectors: (kind === 'row' ? corpus : queries).slice(i * DIM, i * DIM + DIM), truncated: [false] };
    },
    dispose: async () => {},
  };
}

/** Writes n rows in batches of 1000; waits for the vector file copies of sealed blocks before closing. */
async function fill(db: string, quantization: CollectionQuantization, n: number, vectorFiles = true) {
  const { corpus } = data(n);
  const store = await openIndexedDBStore({ databaseName: db, vectorFiles: vectorFiles && SMALL_FILES });
  await store.openCollection('c', spec, { quantization });
  for (let s = 0; s < n; s += 1000) {
    const docs = Array.from({ length: Math.min(1000, n - s) }, (_, i) => ({ id: `r${s + i}`, text: `row ${s + i}` }));
    await store.append('c', docs, corpus.subarray(s * DIM, (s + docs.length) * DIM));
  }
  await store.whenIdle?.();
  store.close();
}

/** What each vector block record holds, by constructor name. */
async function rawBlocks(db: string) {
  const raw = await openDB(db);
  const physical = (await raw.get('collections', 'c')).physical;
  const blocks = (await raw.getAll('blocks')).filter((b) => b.collection === physical);
  raw.close();
  return blocks.map((b) => ({
    block: b.block as number,
    vectors: b.vectors.constructor.name as string,
    codes: (b.codes?.constructor.name ?? null) as string | null,
  }));
}

/**
 * Opens the collection as the product does and searches; `settle` waits for the store's background work (the
 * vector file copy) before closing. vectorFiles 'default': the store's own settings (files under 16k rows not read).
 */
async function search(db: string, n: number, queries: number[], vectorFiles: boolean | 'default' = true, settle = false) {
  const store = await openIndexedDBStore({ databaseName: db, ...(vectorFiles === 'default' ? {} : { vectorFiles: vectorFiles && SMALL_FILES }) });
  return searchStore(store, n, queries, settle);
}

async function searchStore(store: Awaited<ReturnType<typeof openIndexedDBStore>>, n: number, queries: number[], settle = false) {
  const index = await createSearchIndex({ embedder: queryEmbedder(n), store, collection: 'c', watch: false });
  const out = [];
  for (const q of queries) out.push((await index.search(`q:${q}`, { k: 10, mode: 'vector' })).map((h) => ({ id: h.id, score: h.score })));
  const result = { count: index.count(), quantization: index.manifest.quantization, hits: out };
  if (settle) await store.whenIdle?.();
  await index.close();
  return result;
}

/** The database deleted behind the store's back (as eviction does), then opened again: what the store noticed and what is left. */
async function openAfterEviction(db: string) {
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(db);
    req.onsuccess = resolve;
    req.onerror = reject;
  });
  const store = await openIndexedDBStore({ databaseName: db, vectorFiles: SMALL_FILES });
  await store.whenIdle?.();
  const result = { dataLost: store.dataLost, collections: (await store.listCollections()).length, files: await files(db) };
  store.close();
  // The notice is for the first open after the loss only.
  const again = await openIndexedDBStore({ databaseName: db, vectorFiles: SMALL_FILES });
  const second = again.dataLost;
  again.close();
  return { ...result, second };
}

/** Opens the store, which starts its vector-file worker when files exist; searchOpenStore opens the collection later. */
async function openStore(db: string) {
  (globalThis as any).openStore = await openIndexedDBStore({ databaseName: db, vectorFiles: SMALL_FILES });
  return true;
}
const searchOpenStore = (n: number, queries: number[]) => searchStore((globalThis as any).openStore, n, queries);

/**
 * Starts appending n rows in batches (not awaited): another tab opens meanwhile, or
 * the test crashes this one. `filling` says how many rows are committed so far.
 */
function startFilling(db: string, n: number, batch: number, pauseMs = 0) {
  const g = globalThis as { filling?: { committed: number; done: boolean; error?: string } };
  g.filling = { committed: 0, done: false };
  const { corpus } = data(n);
  void (async () => {
    const store = await openIndexedDBStore({ databaseName: db, vectorFiles: SMALL_FILES });
    await store.openCollection('c', spec);
    for (let s = 0; s < n; s += batch) {
      const docs = Array.from({ length: Math.min(batch, n - s) }, (_, i) => ({ id: `r${s + i}`, text: `row ${s + i}` }));
      await store.append('c', docs, corpus.subarray(s * DIM, (s + docs.length) * DIM));
      g.filling!.committed = s + docs.length;
      await new Promise((r) => setTimeout(r, pauseMs)); // as embedding the next batch would take
    }
    await store.whenIdle?.();
    store.close();
    g.filling!.done = true;
  })().catch((err) => (g.filling!.error = String(err)));
  return true;
}

/** For each stored row, the top hit of a search for that row itself; and the count. */
async function searchRows(db: string, n: number, rows: number[], vectorFiles = true) {
  const store = await openIndexedDBStore({ databaseName: db, vectorFiles: vectorFiles && SMALL_FILES });
  const index = await createSearchIndex({ embedder: queryEmbedder(n), store, collection: 'c', watch: false });
  const top = [];
  for (const r of rows) {
    const [hit] = await index.search(`row:${r}`, { k: 1, mode: 'vector' });
    top.push({ id: hit?.id, score: hit?.score });
  }
  const count = index.count();
  await index.close();
  return { count, top };
}

/** Full blocks the collection record says are in its vector file. */
async function fileBlocks(db: string): Promise<number> {
  const raw = await openDB(db);
  const rec = await raw.get('collections', 'c');
  raw.close();
  return rec?.fileBlocks ?? 0;
}

/** The vector files of a database in the Origin Private File System: name and size. */
async function files(db: string) {
  const dir = await vectorFileDir(db);
  const out: { name: string; size: number }[] = [];
  if (!dir) return out;
  for await (const [name, h] of (dir as any).entries() as AsyncIterable<[string, FileSystemFileHandle]>) {
    try {
      out.push({ name, size: (await h.getFile()).size });
    } catch (err) {
      if ((err as Error).name !== 'NotFoundError') throw err; // removed (by the store's sweep) while listed
    }
  }
  return out;
}

async function vectorFileDir(db: string, create = false): Promise<FileSystemDirectoryHandle | undefined> {
  try {
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('pagesense', { create });
    return await root.getDirectoryHandle(encodeURIComponent(db), { create });
  } catch {
    return undefined;
  }
}

/** Writes `values` (or NaN) over row `row` of the collection's vector file: stands in for a damaged or stale file. */
async function pokeFile(db: string, row: number, values: number[] | 'nan' | { zeroRows: number }) {
  const [file] = await files(db);
  const handle = await (await vectorFileDir(db))!.getFileHandle(file!.name);
  const w = await handle.createWritable({ keepExistingData: true });
  await w.write({
    type: 'write',
    position: row * DIM * 4,
    data: values === 'nan' ? new Float32Array(DIM).fill(NaN) : Array.isArray(values) ? Float32Array.from(values) : new Float32Array(values.zeroRows * DIM),
  });
  await w.close();
}

async function removeFiles(db: string) {
  for (const f of await files(db)) await (await vectorFileDir(db))!.removeEntry(f.name);
}

/** A file no collection owns, as a mirror write racing a clear leaves behind. */
async function strayFile(db: string) {
  const h = await (await vectorFileDir(db, true))!.getFileHandle('stray%3A1.f32', { create: true });
  const w = await h.createWritable();
  await w.write(new Uint8Array(1000));
  await w.close();
}

/** Opens the store (which sweeps stray files in the background) and waits until `db` holds `count` files. */
async function filesAfterOpen(db: string, count: number) {
  const store = await openIndexedDBStore({ databaseName: db });
  const t0 = performance.now();
  while ((await files(db)).length !== count && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 25));
  store.close();
  return (await files(db)).map((f) => f.name);
}

async function clearCollection(db: string) {
  const store = await openIndexedDBStore({ databaseName: db });
  await store.clear('c');
  store.close();
}

/** The data's query row q: written into the file, row `row` becomes the perfect match for "q:q". */
const queryRow = (n: number, q: number) => Array.from(data(n).queries.subarray(q * DIM, q * DIM + DIM));

async function remove(db: string, ids: string[]) {
  const store = await openIndexedDBStore({ databaseName: db });
  await store.delete('c', ids);
  store.close();
}

async function compact(db: string) {
  const store = await openIndexedDBStore({ databaseName: db });
  const m = await store.compact('c');
  store.close();
  return m?.vectorCount ?? null;
}

/** Appends batches until storage refuses one; reports what was committed and what the store says afterwards. */
async function fillUntilFull(db: string, batch: number, maxRows: number) {
  const { corpus } = makeData('random', batch, 0, DIM, 11);
  const store = await openIndexedDBStore({ databaseName: db });
  await store.openCollection('c', spec);
  let committed = 0;
  let error: string | null = null;
  while (committed < maxRows) {
    const docs = Array.from({ length: batch }, (_, i) => ({ id: `r${committed + i}`, text: `row ${committed + i} `.repeat(20) }));
    try {
      await store.append('c', docs, corpus);
      committed += batch;
    } catch (err) {
      error = (err as { code?: string }).code ?? String(err);
      break;
    }
  }
  store.close();
  const again = await openIndexedDBStore({ databaseName: db });
  const manifest = await again.getManifest('c');
  const loaded = await again.loadVectors('c');
  again.close();
  return { committed, error, documentCount: manifest?.documentCount, loaded: loaded.ids.length, lastId: loaded.ids.at(-1) };
}

/** Opens the store and keeps it open, recording whether it was asked to step aside for an upgrade. */
async function holdOpen(db: string) {
  const g = globalThis as { held?: unknown; versionChanges?: number };
  g.versionChanges = 0;
  const store = await openIndexedDBStore({ databaseName: db, onVersionChange: () => void (g.versionChanges! += 1) });
  await store.openCollection('c', spec);
  g.held = store;
  return true;
}

/** The held store's answer now: its collections, or the error code. */
async function heldList() {
  try {
    return (await ((globalThis as any).held as { listCollections(): Promise<{ name: string }[]> }).listCollections()).map((c) => c.name);
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

/** What a newer build in another tab does: open the database at a higher version. Resolves 'upgraded' or 'blocked'. */
function upgrade(db: string) {
  return new Promise<string>((resolve) => {
    const req = indexedDB.open(db, 99);
    req.onblocked = () => resolve('blocked');
    req.onsuccess = () => {
      req.result.close();
      resolve('upgraded');
    };
    req.onerror = () => resolve(`error ${req.error?.name}`);
  });
}

/** Float rows read back one by one (Blob slices for full blocks) against the written data. */
async function rowsMatch(db: string, n: number, ids: number[]) {
  const { corpus } = data(n);
  const store = await openIndexedDBStore({ databaseName: db });
  const got = await store.getVectors(
    'c',
    ids.map((i) => `r${i}`),
  );
  store.close();
  return ids.every((r, i) => got.subarray(i * DIM, i * DIM + DIM).every((v, j) => v === corpus[r * DIM + j]));
}

/** Replaces block 0's codes with a Blob of the wrong size. */
async function damageCodes(db: string) {
  const raw = await openDB(db);
  const b = await raw.get('blocks', (await raw.getAllKeys('blocks'))[0]!);
  b.codes = new Blob([new Uint8Array(100)]);
  await raw.put('blocks', b);
  raw.close();
}

async function openError(db: string, n: number) {
  try {
    await createSearchIndex({ embedder: queryEmbedder(n), store: await openIndexedDBStore({ databaseName: db }), collection: 'c', watch: false });
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

async function exportedRows(db: string) {
  const store = await openIndexedDBStore({ databaseName: db });
  const file = await store.exportCollection('c');
  store.close();
  return file.byteLength;
}

Object.assign(globalThis, {
  storeCheck: {
    startFilling,
    filling: () => (globalThis as any).filling,
    searchRows,
    isolated: () => crossOriginIsolated,
    fileBlocks,
    files,
    pokeFile,
    removeFiles,
    strayFile,
    filesAfterOpen,
    clearCollection,
    queryRow,
    fillUntilFull,
    holdOpen,
    heldList,
    upgrade,
    fill,
    rawBlocks,
    search,
    openStore,
    openAfterEviction,
    searchOpenStore,
    remove,
    compact,
    rowsMatch,
    damageCodes,
    openError,
    exportedRows,
  },
});
document.title = 'ready';
