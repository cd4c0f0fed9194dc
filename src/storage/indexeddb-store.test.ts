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
