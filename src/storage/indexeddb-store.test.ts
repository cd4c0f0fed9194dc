import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { EmbeddingSpec } from '../core/manifest.ts';
import { BLOCK_ROWS, openIndexedDBStore } from './indexeddb-store.ts';

const spec: EmbeddingSpec = { modelId: 'm/1', revision: 'main', dimension: 4, pooling: 'cls', normalized: true, queryInstruction: '' };
let dbCount = 0;
const fresh = () => openIndexedDBStore({ databaseName: `t${dbCount++}` });
const docs = (n: number, prefix = 'd') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, text: `text ${i}` }));
const vecs = (n: number) => Float32Array.from({ length: n * 4 }, (_, i) => i);

describe('IndexedDB store', () => {
  it('round-trips documents and vectors across blocks and reopen', async () => {
    const name = `rt${dbCount}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    const n = BLOCK_ROWS + 5;
    const m = await store.append('c', docs(n), vecs(n));
    expect(m.documentCount).toBe(n);
    store.close();
    const again = await openIndexedDBStore({ databaseName: name });
    await again.openCollection('c', spec);
    const loaded = await again.loadVectors('c');
    expect(loaded.ids.length).toBe(n);
    expect(loaded.ids[n - 1]).toBe(`d${n - 1}`);
    expect(Array.from(loaded.vectors)).toEqual(Array.from(vecs(n)));
    const [d] = await again.getDocuments('c', ['d3']);
    expect(d?.text).toBe('text 3');
  });

  it('refuses to open a collection with another model, and keeps its data', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    await expect(store.openCollection('c', { ...spec, modelId: 'm/2' })).rejects.toMatchObject({ code: 'MODEL_MISMATCH' });
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
  });

  it('writes a batch all or nothing: a duplicate id rolls the whole batch back', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    const batch = [{ id: 'new', text: 'x' }, { id: 'd1', text: 'dup' }];
    await expect(store.append('c', batch, vecs(2))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
    expect(await store.hasDocuments('c', ['new'])).toEqual([false]);
  });

  it('rejects wrong vector sizes and NaN before writing anything', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await expect(store.append('c', docs(2), new Float32Array(7))).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    await expect(store.append('c', docs(1), Float32Array.of(0, NaN, 0, 0))).rejects.toMatchObject({ code: 'NON_FINITE_VECTOR' });
    expect((await store.loadVectors('c')).ids).toEqual([]);
  });

  it('clears one collection and leaves the others', async () => {
    const store = await fresh();
    await store.openCollection('a', spec);
    await store.openCollection('b', spec);
    await store.append('a', docs(3), vecs(3));
    await store.append('b', docs(2), vecs(2));
    await store.clear('a');
    await store.openCollection('a', spec);
    expect((await store.loadVectors('a')).ids).toEqual([]);
    expect((await store.loadVectors('b')).ids).toEqual(['d0', 'd1']);
  });
});

describe('IndexedDB store: updates, rebuilds, files, quota, tabs', () => {
  const vec = (...rows: number[][]) => Float32Array.from(rows.flat());

  it('upsert replaces by id, delete removes, and loads skip the tombstones', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(3), vec([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]));
    let m = await store.upsert('c', [{ id: 'd1', text: 'new one' }, { id: 'x', text: 'brand new' }], vec([0, 0, 0, 1], [1, 1, 0, 0]));
    expect(m.documentCount).toBe(4);
    m = await store.delete('c', ['d0', 'missing']);
    expect(m.documentCount).toBe(3);
    const { ids, vectors } = await store.loadVectors('c');
    expect(ids).toEqual(['d2', 'd1', 'x']);
    expect(Array.from(vectors.subarray(4, 8))).toEqual([0, 0, 0, 1]);
    expect((await store.getDocuments('c', ['d1']))[0]?.text).toBe('new one');
    expect(await store.hasDocuments('c', ['d0'])).toEqual([false]);
  });

  it('fills the last block before starting another', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    for (let i = 0; i < 5; i++) await store.append('c', docs(10, `b${i}-`), vecs(10));
    const { ids } = await store.loadVectors('c');
    expect(ids.length).toBe(50);
    expect(ids[49]).toBe('b4-9');
  });

  it('blue-green: the old collection answers until the switch, then the new one replaces it', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    const newSpec = { ...spec, modelId: 'm/2', dimension: 2 };
    const staging = await store.beginRebuild('c', newSpec);
    await store.append(staging, docs(3, 'n'), Float32Array.of(1, 0, 0, 1, 1, 1));
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
    expect((await store.getManifest('c'))?.modelId).toBe('m/1');
    const m = await store.commitRebuild('c');
    expect(m).toMatchObject({ modelId: 'm/2', name: 'c', documentCount: 3 });
    expect((await store.loadVectors('c')).ids).toEqual(['n0', 'n1', 'n2']);
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c']);
    expect(await store.openCollection('c', newSpec)).toMatchObject({ modelId: 'm/2' });
  });

  it('exports to one file and imports it back; a damaged file changes nothing', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', [{ id: 'a', text: 'alpha', title: 'A', meta: { k: 1 } }, { id: 'b', text: 'beta' }], vecs(2));
    const file = await store.exportCollection('c');
    const other = await fresh();
    await other.openCollection('c', { ...spec, modelId: 'old' });
    await other.append('c', docs(1), vecs(1));
    const damaged = file.slice(0, file.length - 10);
    await expect(other.importCollection('c', damaged)).rejects.toMatchObject({ code: 'CORRUPT_INDEX' });
    expect((await other.loadVectors('c')).ids).toEqual(['d0']);
    const m = await other.importCollection('c', file);
    expect(m).toMatchObject({ modelId: 'm/1', documentCount: 2 });
    expect((await other.getDocuments('c', ['a']))[0]).toMatchObject({ text: 'alpha', title: 'A', meta: { k: 1 } });
    expect(Array.from((await other.loadVectors('c')).vectors)).toEqual(Array.from(vecs(2)));
  });

  it('turns QuotaExceededError into QUOTA_EXCEEDED and keeps the store consistent', async () => {
    const store = await fresh();
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    const proto = IDBObjectStore.prototype as unknown as { put: (...a: unknown[]) => unknown };
    const original = proto.put;
    proto.put = function () {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      await expect(store.append('c', docs(2, 'q'), vecs(2))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
    } finally {
      proto.put = original;
    }
    expect((await store.loadVectors('c')).ids).toEqual(['d0', 'd1']);
    expect((await store.getManifest('c'))?.documentCount).toBe(2);
  });

  it('tells other connections (tabs) which collection changed', async () => {
    const name = `tabs${dbCount++}`;
    const a = await openIndexedDBStore({ databaseName: name });
    const b = await openIndexedDBStore({ databaseName: name });
    const seen: string[] = [];
    b.onExternalChange((c) => seen.push(c));
    await a.openCollection('c', spec);
    await a.append('c', docs(1), vecs(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toContain('c');
    expect((await b.loadVectors('c')).ids).toEqual(['d0']);
    a.close();
    b.close();
  });

  it('detects a manifest that disagrees with the blocks as CORRUPT_INDEX', async () => {
    const name = `corrupt${dbCount++}`;
    const store = await openIndexedDBStore({ databaseName: name });
    await store.openCollection('c', spec);
    await store.append('c', docs(2), vecs(2));
    store.close();
    const { openDB } = await import('idb');
    const raw = await openDB(name, 1);
    const rec = await raw.get('collections', 'c');
    rec.manifest.vectorCount = 5;
    await raw.put('collections', rec);
    raw.close();
    const again = await openIndexedDBStore({ databaseName: name });
    await expect(again.loadVectors('c')).rejects.toMatchObject({ code: 'CORRUPT_INDEX' });
  });
});
