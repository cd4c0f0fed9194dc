// Chromium side of bench:store: our block store against one-record-per-vector IndexedDB.
import { openDB, deleteDB } from 'idb';
import { createFlatIndex } from '../../src/core/kernel/flat-index.ts';
import { openIndexedDBStore } from '../../src/storage/indexeddb-store.ts';
import { makeData } from '../data.ts';

const spec = { modelId: 'bench/model', revision: 'main', dimension: 0, pooling: 'cls' as const, normalized: true, queryInstruction: '' };
const usage = async () => (await navigator.storage.estimate()).usage ?? 0;
const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;

async function run(n: number, d: number, opens: number) {
  const { corpus } = makeData('random', n, 0, d, 7);
  const docs = Array.from({ length: n }, (_, i) => ({ id: `doc-${i}`, text: `Passage ${i}: a short stand-in text of about one hundred characters, as a document would be.` }));
  const rows: Record<string, unknown>[] = [];
  const batch = 8192;
  await deleteDB('bench-ours');
  await deleteDB('bench-naive');

  // Ours.
  let before = await usage();
  let t0 = performance.now();
  let store = await openIndexedDBStore({ databaseName: 'bench-ours' });
  await store.openCollection('c', { ...spec, dimension: d });
  for (let s = 0; s < n; s += batch) await store.append('c', docs.slice(s, s + batch), corpus.subarray(s * d, Math.min(n, s + batch) * d));
  const writeMs = performance.now() - t0;
  store.close();
  const oursBytes = ((await usage()) - before) / n;
  rows.push({ method: 'write', n, d, median_ms: writeMs, bytes_per_vector: oursBytes, peer: false });
  const openTimes: number[] = [];
  for (let i = 0; i < opens; i++) {
    t0 = performance.now();
    store = await openIndexedDBStore({ databaseName: 'bench-ours' });
    await store.openCollection('c', { ...spec, dimension: d });
    const t1 = performance.now();
    const { vectors } = await store.loadVectors('c');
    const t2 = performance.now();
    createFlatIndex({ dimension: d, normalize: false }).add(vectors);
    openTimes.push(performance.now() - t0);
    console.log(`BREAKDOWN open+collection ${(t1 - t0).toFixed(0)} load ${(t2 - t1).toFixed(0)} index ${(performance.now() - t2).toFixed(0)}`);
    store.close();
  }
  rows.push({ method: 'open', n, d, median_ms: median(openTimes), bytes_per_vector: oursBytes, peer: false });

  // Naive: one record per vector, with its document.
  before = await usage();
  t0 = performance.now();
  let db = await openDB('bench-naive', 1, { upgrade: (u) => void u.createObjectStore('vectors', { keyPath: 'id' }) });
  for (let s = 0; s < n; s += batch) {
    const tx = db.transaction('vectors', 'readwrite');
    for (let i = s; i < Math.min(n, s + batch); i++) void tx.store.put({ id: docs[i]!.id, text: docs[i]!.text, vector: corpus.slice(i * d, i * d + d) });
    await tx.done;
  }
  const naiveWrite = performance.now() - t0;
  db.close();
  const naiveBytes = ((await usage()) - before) / n;
  rows.push({ method: 'write', n, d, median_ms: naiveWrite, bytes_per_vector: naiveBytes, peer: 'naive' });
  const naiveOpens: number[] = [];
  for (let i = 0; i < opens; i++) {
    t0 = performance.now();
    db = await openDB('bench-naive', 1);
    const all = await db.getAll('vectors');
    const m = new Float32Array(all.length * d);
    all.forEach((r, j) => m.set(r.vector as Float32Array, j * d));
    createFlatIndex({ dimension: d, normalize: false }).add(m);
    naiveOpens.push(performance.now() - t0);
    db.close();
  }
  rows.push({ method: 'open', n, d, median_ms: median(naiveOpens), bytes_per_vector: naiveBytes, peer: 'naive' });
  await deleteDB('bench-ours');
  await deleteDB('bench-naive');
  return rows;
}

(globalThis as { benchStore?: typeof run }).benchStore = run;
document.title = 'ready';
