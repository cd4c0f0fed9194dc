// The lexical index saved beside a collection: used only for the exact state it was
// built from, so a reopen skips reading every document, and a write, a damaged
// snapshot or a crash before the save can only make it rebuild, never answer wrong.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { hashEmbedder } from '../../test/helpers/hash-embedder.ts';
import { openIndexedDBStore } from '../storage/indexeddb-store.ts';
import type { VectorStore } from '../storage/vector-store.ts';
import { createSearchIndex } from './search-index.ts';

let n = 0;
const WORDS = ['river', 'lantern', 'copper', 'meadow', 'signal', 'harbor', 'violet', 'engine', 'glacier', 'orchard'];
const corpus = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({
    id: `d${from + i}`,
    text: `marker${from + i} the ${WORDS[(from + i) % 10]} and the ${WORDS[((from + i) * 3) % 10]}`,
  }));

/** The store, counting how many documents are read through it. */
function counting(store: VectorStore): { store: VectorStore; read: () => number } {
  let read = 0;
  const wrapped = Object.create(store) as VectorStore;
  wrapped.getDocuments = (name, ids, hints) => {
    read += ids.length;
    return store.getDocuments(name, ids, hints);
  };
  return { store: wrapped, read: () => read };
}

async function savedFor(db: string): Promise<string | undefined> {
  const store = await openIndexedDBStore({ databaseName: db });
  // The save runs after the search that built the index has answered.
  for (let i = 0; i < 50; i++) {
    const saved = await store.getDerived!('default', 'lexical');
    if (saved?.value) return (store.close(), saved.value);
    await new Promise((r) => setTimeout(r, 20));
  }
  store.close();
  return undefined;
}

async function open(db: string) {
  const c = counting(await openIndexedDBStore({ databaseName: db }));
  const index = await createSearchIndex({ embedder: hashEmbedder(), store: c.store, compactAt: 1 });
  return { index, read: c.read };
}

describe('the saved lexical index', () => {
  it('a reopened collection answers its first lexical search from the saved index, reading only the documents it shows', async () => {
    const db = `ls${n++}`;
    const first = await open(db);
    await first.index.add(corpus(700));
    const built = await first.index.search('marker421 glacier', { mode: 'lexical', k: 5 });
    expect(built[0]!.id).toBe('d421');
    expect(await savedFor(db)).toContain('pagesense-lexical-1');
    await first.index.close();

    const again = await open(db);
    const hits = await again.index.search('marker421 glacier', { mode: 'lexical', k: 5 });
    expect(hits).toEqual(built);
    expect(again.read()).toBe(5); // the five shown, not the 700 a build reads
  });

  it('after a write the saved index is stale: the next open builds from the documents and finds the new one', async () => {
    const db = `ls${n++}`;
    const first = await open(db);
    await first.index.add(corpus(300));
    await first.index.search('marker7', { mode: 'lexical' });
    await savedFor(db);
    await first.index.add(corpus(1, 300)); // a write the saved index does not hold
    await first.index.delete(['d7']);
    await first.index.close();

    const again = await open(db);
    expect((await again.index.search('marker300', { mode: 'lexical' }))[0]?.id).toBe('d300');
    expect(await again.index.search('marker7', { mode: 'lexical' })).toEqual([]);
    expect(again.read()).toBeGreaterThanOrEqual(300); // built from the documents
  });

  it('a damaged or foreign saved index is not used: the documents are read instead', async () => {
    const db = `ls${n++}`;
    const first = await open(db);
    await first.index.add(corpus(200));
    await first.index.close();
    const store = await openIndexedDBStore({ databaseName: db });
    for (const junk of ['{"format":"pagesense-lexical-1","engine":{"nope":1}}', 'not json', '{"format":"other","engine":{}}']) {
      const { stamp } = (await store.getDerived!('default', 'lexical'))!;
      expect(await store.putDerived!('default', 'lexical', stamp, junk)).toBe(true);
      const again = await open(db);
      expect((await again.index.search('marker150', { mode: 'lexical' }))[0]?.id).toBe('d150');
      expect(again.read()).toBeGreaterThanOrEqual(200);
      await again.index.close();
    }
    store.close();
  });

  it('a save for a state the collection has left is refused', async () => {
    const db = `ls${n++}`;
    const first = await open(db);
    await first.index.add(corpus(10));
    const store = await openIndexedDBStore({ databaseName: db });
    const { stamp } = (await store.getDerived!('default', 'lexical'))!;
    await first.index.add(corpus(1, 10)); // moves the collection on
    expect(await store.putDerived!('default', 'lexical', stamp, 'stale')).toBe(false);
    expect((await store.getDerived!('default', 'lexical'))!.value).toBeUndefined();
    expect(await store.getDerived!('missing', 'lexical')).toBeUndefined();
    store.close();
    await first.index.close();
  });

  it('clearing or compacting a collection drops its saved index with its old rows', async () => {
    const db = `ls${n++}`;
    const first = await open(db);
    await first.index.add(corpus(50));
    await first.index.search('marker3', { mode: 'lexical' });
    expect(await savedFor(db)).toBeDefined();
    await first.index.delete(['d1', 'd2']);
    await first.index.compact();
    const store = await openIndexedDBStore({ databaseName: db });
    expect((await store.getDerived!('default', 'lexical'))!.value).toBeUndefined();
    store.close();
    expect((await first.index.search('marker3', { mode: 'lexical' }))[0]?.id).toBe('d3');
    await first.index.close();
  });
});
