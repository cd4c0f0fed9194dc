// What the IndexedDB store's unit tests share: an embedding setup, a fresh database per
// test, and documents and vectors numbered so a test can tell them apart.
import type { EmbeddingSpec } from '../../src/core/manifest.ts';
import { openIndexedDBStore } from '../../src/storage/indexeddb-store.ts';

export const spec: EmbeddingSpec = { modelId: 'm/1', revision: 'main', dimension: 4, pooling: 'cls', normalized: true, queryInstruction: '' };
let dbCount = 0;
export const fresh = (prefix = 't') => openIndexedDBStore({ databaseName: `${prefix}${dbCount++}` });
export const docs = (n: number, prefix = 'd') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, text: `text ${i}` }));
export const vecs = (n: number) => Float32Array.from({ length: n * 4 }, (_, i) => i);
