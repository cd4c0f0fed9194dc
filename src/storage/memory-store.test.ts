// The memory store stands in for IndexedDB when it cannot be opened: the same calls
// through a SearchIndex must give the same answers and the same errors on both.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { hashEmbedder } from '../../test/helpers/hash-embedder.ts';
import { createSearchIndex } from '../search/search-index.ts';
import { openIndexedDBStore } from './indexeddb-store.ts';
import { createMemoryStore } from './memory-store.ts';
import type { VectorStore } from './vector-store.ts';

const words = ['harbor', 'lantern', 'copper', 'meadow', 'signal', 'violet', 'engine', 'glacier', 'orchard', 'marble'];
const docs = Array.from({ length: 60 }, (_, i) => ({
  id: `d${i}`,
  text: `${words[i % 10]} ${words[(i * 3 + 1) % 10]} and ${words[(i * 7 + 2) % 10]} near marker ${i}`,
  title: `Doc ${i}`,
  meta: { n: i },
}));
const queries = ['harbor lantern', 'glacier orchard marble', 'marker 17', 'copper engine'];

/** One scripted session; returns everything a caller could observe. */
async function session(store: VectorStore) {
  const seen: unknown[] = [];
  const idx = await createSearchIndex({ embedder: hashEmbedder(), store, collection: 'c' });
  seen.push(await idx.add(docs));
  const results = async () => {
    for (const mode of ['vector', 'lexical', 'hybrid'] as const)
      for (const q of queries) seen.push((await idx.search(q, { k: 5, mode })).map((h) => [h.id, h.score.toFixed(5), h.title]));
  };
  await results();
  seen.push(await idx.add([docs[0]!, { id: 'x', text: 'a new harbor' }]));
  seen.push(
    await idx
      .add([
        { id: 'y', text: 'dup' },
        { id: 'y', text: 'dup' },
      ])
      .catch((e) => e.code),
  );
  seen.push(await idx.upsert([{ id: 'd3', text: 'replaced: glacier orchard marble everywhere' }]));
  seen.push(await idx.delete(['d5', 'd6', 'nope']));
  seen.push(idx.count(), await idx.get(['d3', 'd5', 'd7']));
  await results();
  const file = await idx.exportFile();
  await idx.clear();
  seen.push(idx.count());
  await idx.importFile(file);
  seen.push(idx.count());
  await results();
  const reindexed = await idx.reindex(hashEmbedder(24, 'test/hash-24'));
  seen.push(
    reindexed.count(),
    (await reindexed.search('harbor lantern', { k: 3, mode: 'vector' })).map((h) => h.id),
  );
  await reindexed.close();
  return seen;
}

describe('the memory store', () => {
  it('answers a whole session (add, search, upsert, delete, export, clear, import, reindex) exactly as the IndexedDB store does', async () => {
    const fromIndexedDB = await session(await openIndexedDBStore({ databaseName: 'memory-contract' }));
    const fromMemory = await session(createMemoryStore());
    expect(fromMemory).toEqual(fromIndexedDB);
  });
});
