// Compaction and import: blue-green rebuilds of a collection, under success and failure.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { BLOCK_ROWS } from './idb-schema.ts';
import { openIndexedDBStore } from './indexeddb-store.ts';
import { docs, fresh as freshStore, spec, vecs } from '../../test/helpers/store-fixtures.ts';

let dbCount = 0; // for tests that name their own databases
const fresh = () => freshStore('rebuild');

describe('IndexedDB store: compaction', () => {
  const dim = 4;
  const rows = (n: number) => Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i));

  it('rewrites the live rows in order, with their documents, and resets the dead count', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    const n = BLOCK_ROWS + 500;
    const all = rows(n);
    await store.append('c', docs(n), all);
    expect(await store.compact('c')).toBeNull(); // nothing dead yet
    const dead = Array.from({ length: 800 }, (_, i) => `d${i * 2}`);
    await store.delete('c', dead);
    expect(await store.compact('c', { minDeadFraction: 0.5 })).toBeNull(); // 800 of 2548 is under half
    const m = await store.compact('c', { minDeadFraction: 0.25 });
    expect(m).toMatchObject({ name: 'c', documentCount: n - 800, vectorCount: n - 800 });
    const live = Array.from({ length: n }, (_, i) => i).filter((i) => !(i < 1600 && i % 2 === 0));
    const loaded = await store.loadVectors('c');
    expect(loaded.ids).toEqual(live.map((i) => `d${i}`));
    expect(Array.from(loaded.vectors)).toEqual(live.flatMap((i) => Array.from(all.subarray(i * dim, i * dim + dim))));
    expect(await store.getDocuments('c', ['d1', 'd0'])).toEqual([{ id: 'd1', text: 'text 1', collection: 'c' }, undefined]);
    expect(await store.compact('c')).toBeNull();
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c']);
  });

  it('refuses with CONFLICT when another tab writes during compaction, and loses nothing', async () => {
    const name = `compact${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    const other = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    await store.append('c', docs(10), rows(10));
    await store.delete('c', ['d0', 'd1', 'd2', 'd3', 'd4']);
    const read = store.getDocuments.bind(store);
    let raced = false;
    store.getDocuments = async (c, ids) => {
      if (!raced) {
        raced = true;
        await other.append('c', [{ id: 'late', text: 'written by the other tab' }], rows(1));
      }
      return read(c, ids);
    };
    await expect(store.compact('c')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await store.loadVectors('c')).ids).toEqual(['d5', 'd6', 'd7', 'd8', 'd9', 'late']);
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c']);
    store.getDocuments = read;
    expect(await store.compact('c')).toMatchObject({ documentCount: 6 });
    store.close();
    other.close();
  });
});

describe('IndexedDB store: import and quantization', () => {
  it("an imported file takes the importing collection's storage setting; a new collection takes the file's", async () => {
    const source = await fresh();
    await source.openCollection('c', spec, { quantization: 'int8' });
    await source.append('c', docs(3), vecs(3));
    const file = await source.exportCollection('c');
    const target = await fresh();
    await target.openCollection('c', spec); // float32 only
    expect((await target.importCollection('c', file)).quantization).toBe('none');
    expect((await target.importCollection('fresh', file)).quantization).toBe('int8');
    expect((await target.loadVectors('c')).ids).toEqual(['d0', 'd1', 'd2']);
  });
});

describe('IndexedDB store: compaction under failure', () => {
  const dim = 4;
  const rows = (n: number) => Float32Array.from({ length: n * dim }, (_, i) => Math.cos(i));

  it('quota running out while compacting leaves the collection as it was', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(20), rows(20));
    await store.delete('c', ['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    const proto = IDBObjectStore.prototype as unknown as { put: (...a: unknown[]) => unknown };
    const original = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: unknown[]) {
      if (this.name === 'blocks') throw new DOMException('full', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await expect(store.compact('c')).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    } finally {
      proto.put = original;
    }
    expect((await store.loadVectors('c')).ids).toEqual(['d0', ...Array.from({ length: 13 }, (_, i) => `d${i + 7}`)]);
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c']);
    expect(await store.compact('c')).toMatchObject({ documentCount: 14 });
  });

  it('a crash in the middle of a rebuild leaves the live collection answering and no orphaned data after the next one', async () => {
    const name = `midrebuild${dbCount++}`;
    let store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    await store.append('c', docs(10), rows(10));
    await store.delete('c', ['d0', 'd1', 'd2', 'd3']);
    const staging = await store.beginRebuild('c', spec);
    await store.append(staging, docs(3, 'half'), rows(3)); // then the tab dies: no commit
    store.close();
    store = await openIndexedDBStore({ databaseName: name });
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c']);
    expect((await store.loadVectors('c')).ids).toEqual(['d4', 'd5', 'd6', 'd7', 'd8', 'd9']);
    await store.compact('c');
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name);
    const physical = (await raw.get('collections', 'c')).physical;
    const everyRow = [...(await raw.getAll('blocks')), ...(await raw.getAll('slots')), ...(await raw.getAll('docs'))];
    expect(everyRow.every((r) => r.collection === physical)).toBe(true);
    expect(await raw.getAll('collections')).toHaveLength(1);
    raw.close();
  });
});
