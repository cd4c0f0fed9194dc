// A searchable collection: embeds documents through an Embedder, persists them
// in a VectorStore, and answers queries with an exact top-k scan over the
// vectors it keeps in memory (collection-scan.ts). Writes go through ingest.ts.
import { batchingQueries } from '../embedding/query-batcher.ts';
import { assertKnownOptions, assertOptionValues, optionNames } from '../core/options.ts';
import { stringListArg } from '../core/arguments.ts';
import { createError } from '../core/errors.ts';
import { decodeIndexFile } from '../core/index-file.ts';
import { assertCompatible } from '../core/manifest.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { StoredDocument } from '../storage/vector-store.ts';
import { CollectionScan } from './collection-scan.ts';
import { ingest, type IngestContext } from './ingest.ts';
import { LexicalSide } from './lexical-side.ts';
import { runSearch, type SearchContext } from './run-search.ts';
import type { AddResult, IngestOptions, SearchIndex, SearchIndexOptions } from './search-types.ts';

export type { AddResult, IngestOptions, SearchHit, SearchIndex, SearchIndexOptions, SearchMode, SearchOptions, SearchTimings } from './search-types.ts';

const SEARCH_INDEX_OPTIONS = optionNames<SearchIndexOptions>({
  embedder: true,
  store: true,
  collection: true,
  commitBatch: true,
  maxTextLength: true,
  watch: true,
  onExternalChange: true,
  quantization: true,
  rescore: true,
  compactAt: true,
});

const positiveInteger = (v: number) => Number.isInteger(v) && v >= 1;

/** The options, checked by name and value, with their defaults filled in. */
function searchIndexSettings(options: SearchIndexOptions) {
  assertKnownOptions(options ?? null, SEARCH_INDEX_OPTIONS, 'createSearchIndex');
  assertOptionValues(
    options,
    { embedder: 'object', store: 'object', collection: 'string', watch: 'boolean', onExternalChange: 'function', quantization: ['none', 'int8'] },
    'createSearchIndex',
  );
  if (typeof options.embedder?.embed !== 'function' || typeof options.store?.loadInto !== 'function') {
    throw createError('INVALID_ARGUMENT', 'createSearchIndex needs an embedder (createWorkerEmbedder) and a store (openIndexedDBStore)');
  }
  const commitBatch = options.commitBatch ?? 32;
  const maxTextLength = options.maxTextLength ?? 200_000;
  const rescore = options.rescore ?? 4;
  const compactAt = options.compactAt ?? 0.25;
  // Size-like options that are 0, negative or NaN would loop forever or write nothing: refuse them up front.
  if (!positiveInteger(commitBatch)) throw createError('INVALID_ARGUMENT', `commitBatch must be a positive integer, got ${commitBatch}`);
  if (!positiveInteger(maxTextLength)) throw createError('INVALID_ARGUMENT', `maxTextLength must be a positive integer, got ${maxTextLength}`);
  if (!(rescore >= 1)) throw createError('INVALID_ARGUMENT', `rescore must be >= 1, got ${rescore}`);
  if (!(compactAt >= 0)) throw createError('INVALID_ARGUMENT', `compactAt must be a fraction >= 0 (1 or more turns compaction off), got ${compactAt}`);
  return { embedder: options.embedder, store: options.store, name: options.collection ?? 'default', commitBatch, maxTextLength, rescore, compactAt };
}

/** Re-embeds every document of `name` with `next` into a staging collection, then swaps it in (nothing changes if it fails). */
async function rebuildWith(options: SearchIndexOptions, name: string, ids: readonly string[], next: Embedder, o: IngestOptions): Promise<void> {
  const { store } = options;
  const staging = await store.beginRebuild(name, next.info);
  try {
    const target = await createSearchIndex({ ...options, embedder: next, collection: staging, watch: false });
    for (let start = 0; start < ids.length; start += 256) {
      const docs = (await store.getDocuments(name, ids.slice(start, start + 256))).filter((d): d is StoredDocument => !!d);
      await target.add(
        docs.map(({ collection: _c, ...d }) => d),
        o,
      );
    }
    await store.commitRebuild(name);
  } catch (err) {
    await store.abortRebuild(name).catch(() => undefined);
    throw err;
  }
}

export async function createSearchIndex(options: SearchIndexOptions): Promise<SearchIndex> {
  const { embedder, store, name, commitBatch, maxTextLength, rescore, compactAt } = searchIndexSettings(options);

  const scan = new CollectionScan(
    store,
    name,
    await store.openCollection(name, embedder.info, options.quantization ? { quantization: options.quantization } : {}),
  );
  await scan.load();
  // Another tab wrote to this collection: pick its changes up.
  const unsubscribe =
    options.watch === false
      ? () => {}
      : store.onExternalChange((c) => {
          if (c !== name) return;
          scan.load().then(
            () => options.onExternalChange?.(),
            () => undefined,
          ); // the next local call reports storage errors
        });

  const lexical = new LexicalSide(store, name, scan);
  const writes: IngestContext = { embedder, store, name, scan, lexical, commitBatch, maxTextLength };
  const searchContext: SearchContext = { embedder: batchingQueries(embedder), store, name, scan, lexical, rescore, maxTextLength };
  const write = async (docs: Parameters<SearchIndex['add']>[0], mode: 'add' | 'upsert', o: IngestOptions): Promise<AddResult> => {
    const { result, reload } = await ingest(writes, docs, mode, o);
    if (reload) await scan.load();
    if (mode === 'upsert') await maybeCompact();
    return result;
  };

  /** Dead rows past the threshold: compact. A conflict with another tab's write just waits for the next call. */
  const maybeCompact = async () => {
    if (compactAt >= 1) return;
    try {
      if (await store.compact(name, { minDeadFraction: compactAt })) await scan.load();
    } catch (err) {
      if ((err as { code?: string }).code !== 'CONFLICT') throw err;
    }
  };

  return {
    get manifest() {
      return scan.manifest;
    },
    info: {
      mode: embedder.info.unavailable ? 'lexical' : 'hybrid',
      reason: embedder.info.unavailable,
      storage: store.inMemoryBecause === undefined ? 'indexeddb' : 'memory',
      storageReason: store.inMemoryBecause,
      dataLost: store.dataLost,
    },
    add: (docs, o = {}) => write(docs, 'add', o),
    upsert: (docs, o = {}) => write(docs, 'upsert', o),
    async delete(delIds) {
      stringListArg('delete', 'ids', delIds);
      const before = scan.manifest.documentCount;
      scan.manifest = await store.delete(name, delIds);
      scan.drop(new Set(delIds));
      lexical.remove(delIds);
      await maybeCompact();
      return before - scan.manifest.documentCount;
    },
    async compact() {
      const done = await store.compact(name);
      if (done) await scan.load();
      return done !== null;
    },
    async get(getIds) {
      const docs = await store.getDocuments(name, stringListArg('get', 'ids', getIds));
      return docs.map((d) => {
        if (!d) return undefined;
        const { collection: _c, ...doc } = d;
        return doc;
      });
    },
    reload: () => scan.load(),
    async reindex(next, o = {}) {
      if (typeof next?.embed !== 'function' || typeof next.info?.dimension !== 'number') {
        throw createError('INVALID_ARGUMENT', 'reindex takes an Embedder (createWorkerEmbedder) to re-embed with');
      }
      await rebuildWith(options, name, scan.allIds(), next, o);
      unsubscribe();
      await embedder.dispose();
      return createSearchIndex({ ...options, embedder: next, collection: name });
    },
    exportFile: () => store.exportCollection(name),
    async importFile(file) {
      if (!(file instanceof Uint8Array)) throw createError('INVALID_ARGUMENT', 'importFile takes the Uint8Array exportFile() made');
      const { manifest: incoming } = decodeIndexFile(file);
      assertCompatible(incoming, embedder.info, name);
      await store.importCollection(name, file);
      await scan.load();
    },
    search: (query, searchOptions) => runSearch(searchContext, query, searchOptions),
    count: () => scan.size,
    get lastSearch() {
      return searchContext.timings;
    },
    async clear() {
      await store.clear(name);
      scan.manifest = await store.openCollection(name, embedder.info, { quantization: scan.manifest.quantization });
      await scan.load();
    },
    async close() {
      unsubscribe();
      store.close();
      await embedder.dispose();
    },
  };
}
