// A searchable collection: embeds documents through an Embedder, persists them
// in a VectorStore, and answers queries with an exact top-k scan over the
// vectors it keeps in memory (collection-scan.ts). Writes go through ingest.ts.
import { assertKnownOptions, assertOptionValues, optionNames } from '../core/options.ts';
import { stringListArg } from '../core/arguments.ts';
import { createError } from '../core/errors.ts';
import { decodeIndexFile } from '../core/index-file.ts';
import { rescoreHits } from '../core/kernel/rescore.ts';
import { assertCompatible } from '../core/manifest.ts';
import type { StoredDocument } from '../storage/vector-store.ts';
import { CollectionScan } from './collection-scan.ts';
import { ingest, type IngestContext } from './ingest.ts';
import type { AddResult, IngestOptions, SearchHit, SearchIndex, SearchIndexOptions } from './search-types.ts';

export type { AddResult, IngestOptions, SearchHit, SearchIndex, SearchIndexOptions } from './search-types.ts';

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

export async function createSearchIndex(options: SearchIndexOptions): Promise<SearchIndex> {
  assertKnownOptions(options ?? null, SEARCH_INDEX_OPTIONS, 'createSearchIndex');
  assertOptionValues(
    options,
    { embedder: 'object', store: 'object', collection: 'string', watch: 'boolean', onExternalChange: 'function', quantization: ['none', 'int8'] },
    'createSearchIndex',
  );
  if (typeof options.embedder?.embed !== 'function' || typeof options.store?.loadInto !== 'function') {
    throw createError('INVALID_ARGUMENT', 'createSearchIndex needs an embedder (createWorkerEmbedder) and a store (openIndexedDBStore)');
  }
  const { embedder, store } = options;
  const name = options.collection ?? 'default';
  const commitBatch = options.commitBatch ?? 32;
  const maxTextLength = options.maxTextLength ?? 200_000;
  const rescore = options.rescore ?? 4;
  const compactAt = options.compactAt ?? 0.25;
  // Size-like options that are 0, negative or NaN would loop forever or write nothing: refuse them up front.
  if (!positiveInteger(commitBatch)) throw createError('INVALID_ARGUMENT', `commitBatch must be a positive integer, got ${commitBatch}`);
  if (!positiveInteger(maxTextLength)) throw createError('INVALID_ARGUMENT', `maxTextLength must be a positive integer, got ${maxTextLength}`);
  if (!(rescore >= 1)) throw createError('INVALID_ARGUMENT', `rescore must be >= 1, got ${rescore}`);
  if (!(compactAt >= 0)) throw createError('INVALID_ARGUMENT', `compactAt must be a fraction >= 0 (1 or more turns compaction off), got ${compactAt}`);
  const dim = embedder.info.dimension;

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

  const writes: IngestContext = { embedder, store, name, scan, commitBatch, maxTextLength };
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
    add: (docs, o = {}) => write(docs, 'add', o),
    upsert: (docs, o = {}) => write(docs, 'upsert', o),
    async delete(delIds) {
      stringListArg('delete', 'ids', delIds);
      const before = scan.manifest.documentCount;
      scan.manifest = await store.delete(name, delIds);
      scan.drop(new Set(delIds));
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
      const staging = await store.beginRebuild(name, next.info);
      try {
        const target = await createSearchIndex({ ...options, embedder: next, collection: staging, watch: false });
        const ids = scan.allIds();
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
    async search(query, searchOptions = {}) {
      assertKnownOptions(searchOptions, ['k'], 'search');
      const k = searchOptions.k ?? 10;
      if (typeof query !== 'string' || query.trim() === '') throw createError('EMPTY_TEXT', 'the query is empty');
      if (query.length > maxTextLength) throw createError('TEXT_TOO_LONG', `the query has ${query.length} characters (limit ${maxTextLength})`);
      if (!Number.isInteger(k) || k < 1) throw createError('INVALID_ARGUMENT', `k must be a positive integer, got ${k}`);
      if (scan.size === 0) return [];
      const { vectors } = await embedder.embed([query], 'query');
      const index = scan.index;
      let hits = index.search(vectors, { k: index.precision === 'float32' ? k : Math.ceil(k * rescore) });
      if (index.precision !== 'float32' && rescore > 1) {
        // Exact re-ranking from the candidates' float32 rows, read from storage (the scan keeps codes only).
        const rows = await store.getVectors(
          name,
          hits.map((h) => scan.idAt(h.index)),
          scan.hints(hits),
        );
        hits = rescoreHits(vectors, 0, dim, hits, rows, (i) => i * dim, k);
      } else {
        hits = hits.slice(0, k);
      }
      const docs = await store.getDocuments(
        name,
        hits.map((h) => scan.idAt(h.index)),
        scan.hints(hits),
      );
      return hits.flatMap((h, i) => {
        const d = docs[i];
        return d ? [toHit(d, h.score)] : [];
      });
    },
    count: () => scan.size,
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

function toHit(d: StoredDocument, score: number): SearchHit {
  const hit: SearchHit = { id: d.id, score, text: d.text };
  if (d.title !== undefined) hit.title = d.title;
  if (d.url !== undefined) hit.url = d.url;
  if (d.meta !== undefined) hit.meta = d.meta;
  return hit;
}
