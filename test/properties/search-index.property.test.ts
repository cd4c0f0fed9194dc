// The SearchIndex verbs under arbitrary arguments, over a real store (fake-indexeddb
// in Node; the same store runs in Chromium in e2e/): each call resolves, or rejects
// with a catalog error and leaves what is stored exactly as it was.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../src/search/search-index.ts';
import { openIndexedDBStore } from '../../src/storage/indexeddb-store.ts';
import { hashEmbedder } from '../helpers/hash-embedder.ts';
import { anyValue, edgyNumber, options, resolvesOrRejectsTyped } from './arbitraries.ts';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 150);

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '   ', 'x'.repeat(300), 'cats and dogs'), anyValue);
const wellFormed = fc.record({
  id: fc.constantFrom('a', 'b', 'c', 'new', 'd1', 'd2'),
  text: fc.constantFrom('cats and dogs', 'a new passage', 'proxy server'),
});
const doc = fc.oneof(
  { weight: 6, arbitrary: wellFormed },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        id: fc.oneof(fc.constantFrom('a', 'b', 'c', 'new', ''), fc.string({ maxLength: 4 }), anyValue),
        text,
        title: fc.oneof(fc.string({ maxLength: 5 }), anyValue),
        meta: fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), anyValue),
      },
      { requiredKeys: ['id', 'text'] },
    ),
  },
  { weight: 1, arbitrary: anyValue },
);
const docs = fc.oneof({ weight: 6, arbitrary: fc.array(doc, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: anyValue });
const ids = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom('a', 'b', 'c', 'zz', 'new', 'd1'), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom('a', 'b'), anyValue), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('ab', 'a') },
  { weight: 1, arbitrary: anyValue },
);
const call = fc.oneof(
  fc.record({ verb: fc.constant('add' as const), docs, opts: options(['onProgress', 'signal']) }),
  fc.record({ verb: fc.constant('upsert' as const), docs, opts: options(['onProgress', 'signal']) }),
  fc.record({ verb: fc.constant('delete' as const), ids }),
  fc.record({ verb: fc.constant('get' as const), ids }),
  fc.record({ verb: fc.constant('search' as const), query: fc.oneof(fc.constantFrom('cats', 'proxy server'), text), opts: options(['k'], edgyNumber) }),
  fc.record({ verb: fc.constant('importFile' as const), file: fc.oneof(fc.uint8Array({ maxLength: 64 }), anyValue) }),
);

describe('SearchIndex under arbitrary arguments', () => {
  it('each call resolves, or rejects with a catalog error and changes nothing stored', async () => {
    const store = await openIndexedDBStore({ databaseName: 'property-search-index' });
    const index = await createSearchIndex({ embedder: hashEmbedder(), store, maxTextLength: 200, compactAt: 1 });
    await index.add([
      { id: 'a', text: 'the cat sat on the mat' },
      { id: 'b', text: 'dogs chase cars' },
      { id: 'c', text: 'vite config server proxy' },
    ]);
    const known = ['a', 'b', 'c', 'new', 'd1', 'd2', 'zz', ''];
    const snapshot = async () => ({ count: index.count(), stored: store.getManifest('default').then((m) => m?.documentCount), docs: await index.get(known) });
    let rejected = 0;
    let resolved = 0;
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        const before = await snapshot();
        const ok = await resolvesOrRejectsTyped(async () => {
          if (c.verb === 'add' || c.verb === 'upsert') return index[c.verb](c.docs as never, c.opts as never);
          if (c.verb === 'delete' || c.verb === 'get') return index[c.verb](c.ids as never);
          if (c.verb === 'search') {
            const hits = await index.search(c.query as never, c.opts as never);
            expect(hits.length).toBeLessThanOrEqual(index.count());
            return hits;
          }
          return index.importFile(c.file as never);
        });
        if (ok) resolved++;
        else {
          rejected++;
          const after = await snapshot();
          expect({ ...after, stored: await after.stored }).toEqual({ ...before, stored: await before.stored });
        }
        // Memory and storage agree whatever happened.
        expect(index.count()).toBe((await store.getManifest('default'))?.documentCount);
      }),
      { numRuns: RUNS },
    );
    console.log(`SearchIndex calls: ${resolved} resolved, ${rejected} rejected with a catalog error and nothing changed`);
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect(resolved).toBeGreaterThan(RUNS / 10);
  }, 120_000);
});
