import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { hashEmbedder } from '../../test/helpers/hash-embedder.ts';
import { openIndexedDBStore } from '../storage/indexeddb-store.ts';
import { createSearchIndex } from './search-index.ts';

let n = 0;
const docs = [
  { id: 'a', text: 'the cat sat on the mat', title: 'Cat' },
  { id: 'b', text: 'dogs chase cars in the street' },
  { id: 'c', text: 'vite config server proxy' },
];

describe('search index', () => {
  it('adds, searches, and reopens without re-embedding', async () => {
    const db = `s${n++}`;
    const e1 = hashEmbedder();
    const idx = await createSearchIndex({ embedder: e1, store: await openIndexedDBStore({ databaseName: db }) });
    const progress: number[] = [];
    const r = await idx.add(docs, { onProgress: (p) => p.status === 'store' && progress.push(p.done) });
    expect(r).toEqual({ added: 3, skipped: [], truncated: [] });
    expect(progress.at(-1)).toBe(3);
    const hits = await idx.search('server proxy config');
    expect(hits[0]).toMatchObject({ id: 'c', text: 'vite config server proxy' });
    expect(hits.length).toBe(3);

    const e2 = hashEmbedder();
    const again = await createSearchIndex({ embedder: e2, store: await openIndexedDBStore({ databaseName: db }) });
    expect(again.count()).toBe(3);
    expect((await again.search('cat mat'))[0]).toMatchObject({ id: 'a', title: 'Cat' });
    expect(e2.calls.every((c) => c.kind === 'query')).toBe(true);
  });

  it('says where the last search spent its time, side by side', async () => {
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: `s${n++}` }) });
    expect(idx.lastSearch).toBeUndefined();
    await idx.add(docs);
    await idx.search('server proxy config', { mode: 'vector' });
    const vector = idx.lastSearch!;
    for (const v of Object.values(vector)) expect(v).toBeGreaterThanOrEqual(0);
    expect(vector.lexicalMs).toBe(0);
    expect(vector.totalMs).toBeGreaterThanOrEqual(vector.embedMs + vector.scanMs);
    await idx.search('server proxy config', { mode: 'lexical' });
    expect(idx.lastSearch).not.toBe(vector);
    expect(idx.lastSearch!.embedMs).toBe(0);
    expect(idx.lastSearch!.scanMs).toBe(0);
  });

  it('skips ids already indexed instead of embedding them again', async () => {
    const e = hashEmbedder();
    const idx = await createSearchIndex({ embedder: e, store: await openIndexedDBStore({ databaseName: `s${n++}` }) });
    await idx.add(docs);
    const r = await idx.add([...docs, { id: 'd', text: 'new words here' }]);
    expect(r.added).toBe(1);
    expect(r.skipped).toEqual(['a', 'b', 'c']);
    expect(e.calls.at(-1)!.texts).toEqual(['new words here']);
  });

  it('rejects a bad batch before storing any of it', async () => {
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: `s${n++}` }) });
    await expect(
      idx.add([
        { id: 'x', text: 'fine' },
        { id: 'y', text: '   ' },
      ]),
    ).rejects.toMatchObject({ code: 'EMPTY_TEXT' });
    await expect(idx.add([{ id: 'x', text: 'a'.repeat(300_000) }])).rejects.toMatchObject({ code: 'TEXT_TOO_LONG' });
    await expect(
      idx.add([
        { id: 'x', text: 'a' },
        { id: 'x', text: 'b' },
      ]),
    ).rejects.toMatchObject({ code: 'DUPLICATE_ID' });
    expect(idx.count()).toBe(0);
    await expect(idx.search('  ')).rejects.toMatchObject({ code: 'EMPTY_TEXT' });
    expect(await idx.search('anything')).toEqual([]);
  });

  it('commits in batches, so a failure mid-way keeps the batches before it', async () => {
    const e = hashEmbedder();
    let calls = 0;
    const failing = {
      ...e,
      info: e.info,
      embed: async (t: readonly string[], k: 'query' | 'passage') => {
        if (++calls === 3) throw new Error('worker crashed');
        return e.embed(t, k);
      },
    };
    const db = `s${n++}`;
    const idx = await createSearchIndex({ embedder: failing, store: await openIndexedDBStore({ databaseName: db }), commitBatch: 2 });
    const many = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, text: `passage number ${i}` }));
    await expect(idx.add(many)).rejects.toThrow('worker crashed');
    expect(idx.count()).toBe(4);
    const reopened = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: db }) });
    expect(reopened.count()).toBe(4);
    const resumed = await reopened.add(many);
    expect(resumed.added).toBe(6);
    expect(reopened.count()).toBe(10);
  });

  it('refuses to open a collection built by another model', async () => {
    const db = `s${n++}`;
    const idx = await createSearchIndex({ embedder: hashEmbedder(16, 'm/a'), store: await openIndexedDBStore({ databaseName: db }) });
    await idx.add(docs);
    await expect(createSearchIndex({ embedder: hashEmbedder(16, 'm/b'), store: await openIndexedDBStore({ databaseName: db }) })).rejects.toMatchObject({
      code: 'MODEL_MISMATCH',
    });
  });

  it("upsert replaces a document's text and vector; delete removes it from results", async () => {
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: `s${n++}` }) });
    await idx.add(docs);
    await idx.upsert([{ id: 'c', text: 'penguins swim in cold water' }]);
    expect(idx.count()).toBe(3);
    expect((await idx.search('penguins cold water'))[0]!.id).toBe('c');
    expect(await idx.get(['c', 'nope'])).toEqual([{ id: 'c', text: 'penguins swim in cold water' }, undefined]);
    expect(await idx.delete(['a', 'zzz'])).toBe(1);
    expect(idx.count()).toBe(2);
    expect((await idx.search('cat mat')).map((h) => h.id)).not.toContain('a');
  });

  it('delete and upsert change the scan index in place, without reading the collection again', async () => {
    const store = await openIndexedDBStore({ databaseName: `s${n++}` });
    let reads = 0;
    const counted = new Proxy(store, {
      get: (t, k) => (k === 'loadInto' ? (...a: Parameters<typeof store.loadInto>) => (reads++, t.loadInto(...a)) : Reflect.get(t, k)),
    });
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, text: `passage ${i} about topic ${i % 7} and word${i}` }));
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store: counted, compactAt: 1 });
    await idx.add(many);
    const opened = reads;
    expect(await idx.delete(['d3', 'd39', 'd0'])).toBe(3);
    await idx.upsert([
      { id: 'd10', text: 'penguins swim in cold water' },
      { id: 'new', text: 'a brand new passage' },
    ]);
    expect(reads).toBe(opened);
    expect(idx.count()).toBe(38);
    expect((await idx.search('penguins cold water'))[0]!.id).toBe('d10');
    const all = (await idx.search('passage topic word', { k: 50 })).map((h) => h.id);
    expect(all).toHaveLength(38);
    expect(all).not.toContain('d3');
    expect(all).not.toContain('d0');
    expect(all).toContain('new');
    // What memory holds is what storage holds: a fresh open finds the same ranking.
    const again = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: `s${n - 1}` }), compactAt: 1 });
    expect((await again.search('passage topic word', { k: 50, mode: 'vector' })).map((h) => [h.id, h.score.toFixed(5)]).sort()).toEqual(
      (await idx.search('passage topic word', { k: 50, mode: 'vector' })).map((h) => [h.id, h.score.toFixed(5)]).sort(),
    );
    await expect(idx.delete('d1' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(idx.count()).toBe(38);
  });

  it('refuses size-like options that would hang or write nothing, misspelt options, and a query over the length limit', async () => {
    const store = await openIndexedDBStore({ databaseName: `s${n++}` });
    for (const commitBatch of [0, -1, NaN, 1.5]) {
      await expect(createSearchIndex({ embedder: hashEmbedder(), store, commitBatch })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    await expect(createSearchIndex({ embedder: hashEmbedder(), store, compactAt: NaN })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(createSearchIndex({ embedder: hashEmbedder(), store, comitBatch: 8 } as never)).rejects.toMatchObject({ code: 'UNKNOWN_OPTION' });
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store, maxTextLength: 100 });
    await idx.add(docs);
    await expect(idx.search('x'.repeat(101))).rejects.toMatchObject({ code: 'TEXT_TOO_LONG' });
    await expect(idx.add('not an array' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Holes of a sparse array are missing documents and ids, not skipped ones (fast-check found this).
    await expect(idx.upsert(new Array(2) as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(idx.delete(new Array(1) as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(idx.count()).toBe(3);
  });

  it('reindexes with another model beside the live collection, then switches', async () => {
    const db = `s${n++}`;
    const idx = await createSearchIndex({ embedder: hashEmbedder(16, 'm/old'), store: await openIndexedDBStore({ databaseName: db }) });
    await idx.add(docs);
    const next = hashEmbedder(32, 'm/new');
    const progress: number[] = [];
    const fresh = await idx.reindex(next, { onProgress: (p) => p.status === 'store' && progress.push(p.done) });
    expect(fresh.manifest).toMatchObject({ modelId: 'm/new', dimension: 32, documentCount: 3 });
    expect((await fresh.search('server proxy'))[0]!.id).toBe('c');
    expect(progress.at(-1)).toBe(3);
    // The collection now belongs to the new model.
    await expect(createSearchIndex({ embedder: hashEmbedder(16, 'm/old'), store: await openIndexedDBStore({ databaseName: db }) })).rejects.toMatchObject({
      code: 'MODEL_MISMATCH',
    });
  });

  it('picks up changes another tab made', async () => {
    const db = `s${n++}`;
    const a = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: db }) });
    const b = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: db }) });
    await a.add(docs);
    await expect.poll(() => b.count()).toBe(3);
    expect((await b.search('vite proxy'))[0]!.id).toBe('c');
  });
});

describe('search index over an int8 collection', () => {
  const vocab = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x`);
  let seed = 9;
  const word = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return vocab[seed % vocab.length]!;
  };
  const corpus = Array.from({ length: 2200 }, (_, i) => ({ id: `p${i}`, text: Array.from({ length: 8 }, word).join(' ') }));
  const queries = Array.from({ length: 12 }, () => Array.from({ length: 3 }, word).join(' '));

  it('ranks like the float32 collection (exact re-ranking), before and after its first block fills, and after reopening', async () => {
    const db = `q${n++}`;
    const exact = await createSearchIndex({ embedder: hashEmbedder(64), store: await openIndexedDBStore({ databaseName: `f${n++}` }) });
    const int8 = await createSearchIndex({ embedder: hashEmbedder(64), store: await openIndexedDBStore({ databaseName: db }), quantization: 'int8' });
    const same = async (a: typeof exact, b: typeof exact) => {
      for (const q of queries) {
        const [x, y] = [await a.search(q, { k: 5 }), await b.search(q, { k: 5 })];
        expect(y.map((h) => h.id)).toEqual(x.map((h) => h.id));
        y.forEach((h, i) => expect(h.score).toBeCloseTo(x[i]!.score, 5));
      }
    };
    await exact.add(corpus.slice(0, 500));
    await int8.add(corpus.slice(0, 500));
    expect(int8.manifest.ranges).toBeUndefined();
    await same(exact, int8);
    await exact.add(corpus.slice(500));
    await int8.add(corpus.slice(500));
    expect(int8.manifest).toMatchObject({ quantization: 'int8', vectorCount: 2200 });
    expect(int8.manifest.ranges?.min.length).toBe(64);
    await same(exact, int8);

    const e = hashEmbedder(64);
    const reopened = await createSearchIndex({ embedder: e, store: await openIndexedDBStore({ databaseName: db }) });
    expect(reopened.manifest.quantization).toBe('int8');
    expect(reopened.count()).toBe(2200);
    await same(exact, reopened);
    expect(e.calls.every((c) => c.kind === 'query')).toBe(true);
    await expect(
      createSearchIndex({ embedder: hashEmbedder(64), store: await openIndexedDBStore({ databaseName: db }), quantization: 'none' }),
    ).rejects.toMatchObject({ code: 'MODEL_MISMATCH' });
  });
});

describe('search index compaction', () => {
  it('compacts by itself once a quarter of the stored rows are dead, and keeps answering', async () => {
    const store = await openIndexedDBStore({ databaseName: `c${n++}` });
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store });
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `m${i}`, text: `note number ${i} about topic ${i % 7}` }));
    await idx.add([...docs, ...many]);
    await idx.delete(many.slice(0, 5).map((d) => d.id)); // 5 of 43: not yet
    expect(await store.compact('default', { minDeadFraction: 0.2 })).toBeNull();
    await idx.delete(many.slice(5, 12).map((d) => d.id)); // 12 of 43 dead: compacted
    expect(await store.compact('default')).toBeNull();
    expect(idx.count()).toBe(31);
    expect((await idx.search('server proxy config'))[0]?.id).toBe('c');
    expect((await idx.search('note number 20 about topic 6'))[0]?.id).toBe('m20');
  });
});

describe('search index reloads', () => {
  it('a reload that overlaps a local add does not drop the added rows', async () => {
    const store = await openIndexedDBStore({ databaseName: `r${n++}` });
    let gate: Promise<void> | undefined;
    let release = () => {};
    // A store whose reads can be held back, to make a reload straddle an add.
    const slow = Object.create(store) as typeof store;
    slow.loadInto = async (...args) => {
      const loaded = await store.loadInto(...args);
      await gate;
      return loaded;
    };
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store: slow, watch: false });
    await idx.add(docs.slice(0, 2));
    gate = new Promise((r) => (release = r));
    const reloading = idx.reload(); // reads the two rows, then waits
    await new Promise((r) => setTimeout(r, 10));
    await idx.add(docs.slice(2));
    gate = undefined;
    release();
    await reloading;
    expect(idx.count()).toBe(3);
    expect((await idx.search('vite config server proxy'))[0]?.id).toBe('c');
  });
});
