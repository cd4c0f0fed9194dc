import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { hashEmbedder } from '../../test/helpers/hash-embedder.ts';
import { createSearchIndex } from '../search/search-index.ts';
import { openIndexedDBStore } from '../storage/indexeddb-store.ts';
import type { Embedder } from './embedder.ts';
import { batchingQueries } from './query-batcher.ts';

/** hashEmbedder that takes a few ms per call and records how many calls were in flight at once. */
function slowEmbedder() {
  const inner = hashEmbedder();
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, texts: 0 };
  const e: Embedder = {
    info: inner.info,
    async embed(texts, kind) {
      stats.calls++;
      stats.texts += texts.length;
      stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
      await new Promise((r) => setTimeout(r, 2));
      try {
        return await inner.embed(texts, kind);
      } finally {
        stats.inFlight--;
      }
    },
    dispose: async () => {},
  };
  return { e, stats, inner };
}

const words = ['harbor', 'lantern', 'copper', 'meadow', 'signal', 'violet', 'engine', 'glacier', 'orchard', 'marble'];
const queryOf = (i: number) => `${words[i % 10]} ${words[(i * 7 + 3) % 10]} ${i % 250}`; // 250 distinct texts, each asked four times

describe('batchingQueries', () => {
  it('1,000 query calls in one tick: each gets its own text’s vector, in 8 model calls, one in flight at a time', async () => {
    const { e, stats, inner } = slowEmbedder();
    const batched = batchingQueries(e);
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => batched.embed([queryOf(i)], 'query')));
    for (let i = 0; i < 1000; i++) expect(results[i]!.vectors).toEqual((await inner.embed([queryOf(i)], 'query')).vectors);
    expect(stats.maxInFlight).toBe(1);
    expect(stats.texts).toBe(250); // repeats embedded once per batch
    expect(stats.calls).toBe(Math.ceil(250 / 32));
  });

  it('passes passages and calls with options straight through, and rejects every call of a failed batch', async () => {
    const { e, stats } = slowEmbedder();
    const batched = batchingQueries(e);
    await batched.embed(['a', 'b'], 'passage');
    await batched.embed(['a'], 'query', undefined, { pooling: 'cls' });
    expect(stats.calls).toBe(2);
    const failing = batchingQueries({ ...e, embed: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'WORKER_FAILED' })) });
    const settled = await Promise.allSettled([failing.embed(['x'], 'query'), failing.embed(['y'], 'query')]);
    expect(settled.map((s) => s.status === 'rejected' && (s.reason as { code: string }).code)).toEqual(['WORKER_FAILED', 'WORKER_FAILED']);
    // The batcher is not stuck after a failure.
    expect((await batched.embed(['after'], 'query')).vectors.length).toBe(16);
  });

  it('1,000 search() calls in one tick on a search index: every answer equals the same search run alone', async () => {
    const { e, stats } = slowEmbedder();
    const idx = await createSearchIndex({ embedder: e, store: await openIndexedDBStore({ databaseName: 'burst' }), watch: false });
    await idx.add(Array.from({ length: 300 }, (_, i) => ({ id: `d${i}`, text: `${queryOf(i * 3)} and ${queryOf(i * 11)}` })));
    const reference: [string, number][][] = [];
    for (let i = 0; i < 250; i++) reference.push((await idx.search(queryOf(i), { k: 5 })).map((h) => [h.id, h.score]));
    const before = stats.calls;
    const burst = await Promise.all(Array.from({ length: 1000 }, (_, i) => idx.search(queryOf(i), { k: 5 })));
    burst.forEach((hits, i) => expect(hits.map((h) => [h.id, h.score])).toEqual(reference[i % 250]));
    expect(stats.calls - before).toBe(Math.ceil(250 / 32));
    expect(stats.maxInFlight).toBe(1);
  });
});
