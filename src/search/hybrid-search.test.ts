import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../embedding/embedder.ts';
import { openIndexedDBStore } from '../storage/indexeddb-store.ts';
import { hashEmbedder } from '../../test/helpers/hash-embedder.ts';
import { createError } from '../core/errors.ts';
import { unavailableEmbedder } from '../embedding/unavailable-embedder.ts';
import type { ModelSpec } from '../models/registry.ts';
import { createSearchIndex } from './search-index.ts';

let n = 0;
const docs = [
  { id: 'proxy', title: 'Server options', text: 'Configure custom proxy rules for the dev server.' },
  { id: 'define', title: 'Config', text: 'Use defineConfig to get type hints for vite.config.ts.' },
  { id: 'css', text: 'CSS modules and preprocessors are supported out of the box.' },
  { id: 'assets', text: 'Static assets are served from the public directory.' },
];

/** A model that sees nothing: every text gets the same vector, so the vector side ranks by row order alone. */
function blindEmbedder(): Embedder {
  const base = hashEmbedder();
  return {
    info: { ...base.info, modelId: 'test/blind' },
    async embed(texts) {
      const v = new Float32Array(texts.length * 16);
      for (let i = 0; i < texts.length; i++) v[i * 16] = 1;
      return { vectors: v, truncated: texts.map(() => false) };
    },
    dispose: async () => {},
  };
}

describe('hybrid search', () => {
  it('finds an exact identifier the model misses, and each hit says which side found it at what rank', async () => {
    const idx = await createSearchIndex({ embedder: blindEmbedder(), store: await openIndexedDBStore({ databaseName: `h${n++}` }) });
    await idx.add(docs);
    const vector = await idx.search('defineConfig', { mode: 'vector' });
    expect(vector[0]!.id).toBe('proxy'); // blind: the first row wins
    expect(vector.every((h) => h.foundBy === 'vector' && h.sources.lexical === undefined)).toBe(true);
    const lexical = await idx.search('defineConfig', { mode: 'lexical' });
    expect(lexical.map((h) => h.id)).toEqual(['define']);
    expect(lexical[0]!.sources).toEqual({ lexical: { rank: 1, score: lexical[0]!.score } });
    const hybrid = await idx.search('defineConfig');
    expect(hybrid[0]!.id).toBe('define');
    expect(hybrid[0]!.foundBy).toBe('both');
    expect(hybrid[0]!.sources.lexical!.rank).toBe(1);
    expect(hybrid[0]!.sources.vector!.rank).toBe(2);
    expect(hybrid[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 10);
    await expect(idx.search('x', { mode: 'keyword' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('the lexical side follows add, upsert and delete, and a second tab builds the same one from storage', async () => {
    const store = await openIndexedDBStore({ databaseName: `h${n++}` });
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store, compactAt: 1 });
    await idx.add(docs.slice(0, 2));
    expect((await idx.search('preprocessors', { mode: 'lexical' })).map((h) => h.id)).toEqual([]);
    await idx.add(docs.slice(2));
    expect((await idx.search('preprocessors', { mode: 'lexical' })).map((h) => h.id)).toEqual(['css']);
    await idx.upsert([{ id: 'css', text: 'Tailwind utilities compile at build time.' }]);
    expect((await idx.search('preprocessors', { mode: 'lexical' })).map((h) => h.id)).toEqual([]);
    expect((await idx.search('tailwind', { mode: 'lexical' })).map((h) => h.id)).toEqual(['css']);
    await idx.delete(['proxy']);
    expect((await idx.search('proxy rules', { mode: 'lexical' })).map((h) => h.id)).toEqual([]);
    const other = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: `h${n - 1}` }), watch: false });
    for (const q of ['tailwind', 'defineConfig', 'static assets', 'proxy']) {
      expect((await other.search(q, { mode: 'lexical' })).map((h) => h.id)).toEqual((await idx.search(q, { mode: 'lexical' })).map((h) => h.id));
    }
  });

  it('a compaction re-reads the collection and the lexical side is rebuilt with it', async () => {
    const idx = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: `h${n++}` }), compactAt: 1 });
    await idx.add(docs);
    await idx.search('proxy', { mode: 'lexical' }); // built
    await idx.delete(['assets']);
    expect(await idx.compact()).toBe(true);
    expect((await idx.search('public directory', { mode: 'lexical' })).map((h) => h.id)).toEqual([]);
    expect((await idx.search('proxy', { mode: 'lexical' })).map((h) => h.id)).toEqual(['proxy']);
  });

  it('without a model, a stored collection is still searched lexically, says so, and refuses to add', async () => {
    const db = `h${n++}`;
    const first = await createSearchIndex({ embedder: hashEmbedder(), store: await openIndexedDBStore({ databaseName: db }) });
    await first.add(docs);
    expect(first.info).toMatchObject({ mode: 'hybrid', reason: undefined, storage: 'indexeddb' });
    // The same model's spec as the hash embedder's, with nothing to run it.
    const spec: ModelSpec = {
      id: 'test/hash',
      dimension: 16,
      pooling: 'mean',
      normalize: true,
      maxTokens: 512,
      queryInstruction: '',
      dtype: { wasm: 'fp32', webgpu: 'fp32' },
      generated: true,
      description: 'test',
    };
    const offline = unavailableEmbedder(spec, createError('MODEL_UNAVAILABLE', 'Could not load model "test/hash". Tried nothing.'));
    const idx = await createSearchIndex({ embedder: offline, store: await openIndexedDBStore({ databaseName: db }), watch: false });
    expect(idx.info.mode).toBe('lexical');
    expect(idx.info.reason).toContain('Could not load model');
    const hits = await idx.search('preprocessors');
    expect(hits.map((h) => [h.id, h.foundBy])).toEqual([['css', 'lexical']]);
    await expect(idx.search('preprocessors', { mode: 'vector' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    await expect(idx.add([{ id: 'e', text: 'new words' }])).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect(idx.count()).toBe(4);
    expect(await idx.get(['e'])).toEqual([undefined]);
  });
});
