// A searchable collection: embeds documents through an Embedder, persists them
// in a VectorStore, and answers queries with an exact top-k scan over the
// vectors it keeps in memory.
import { createError } from '../core/errors.ts';
import { dotTopK } from '../core/kernel/exact-search.ts';
import type { CollectionManifest } from '../core/manifest.ts';
import type { ProgressCallback } from '../core/progress.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { DocumentInput, StoredDocument, VectorStore } from '../storage/vector-store.ts';

export interface SearchIndexOptions {
  embedder: Embedder;
  store: VectorStore;
  /** Collection name. Default 'default'. */
  collection?: string;
  /** Texts embedded and committed per transaction. Default 32. A crash loses at most one batch. */
  commitBatch?: number;
  /** Longest accepted text in characters. Default 200 000. Chunk longer documents first. */
  maxTextLength?: number;
}

export interface AddResult {
  added: number;
  /** Ids already in the collection, left as they are. */
  skipped: string[];
  /** Ids whose text was cut at the model's token limit. */
  truncated: string[];
}

export interface SearchHit {
  id: string;
  score: number;
  text: string;
  title?: string;
  url?: string;
  meta?: Record<string, unknown>;
}

export interface SearchIndex {
  readonly manifest: CollectionManifest;
  add(docs: readonly DocumentInput[], options?: { onProgress?: ProgressCallback }): Promise<AddResult>;
  search(query: string, options?: { k?: number }): Promise<SearchHit[]>;
  count(): number;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function createSearchIndex(options: SearchIndexOptions): Promise<SearchIndex> {
  const { embedder, store } = options;
  const name = options.collection ?? 'default';
  const commitBatch = options.commitBatch ?? 32;
  const maxTextLength = options.maxTextLength ?? 200_000;
  const dim = embedder.info.dimension;

  let manifest = await store.openCollection(name, embedder.info);
  const loaded = await store.loadVectors(name);
  let ids = loaded.ids;
  // Grows by doubling so appends stay amortized O(1); `rows` is the used part.
  let matrix = loaded.vectors;
  let rows = ids.length;
  const known = new Set(ids);

  const appendRows = (newIds: readonly string[], vectors: Float32Array) => {
    const need = (rows + newIds.length) * dim;
    if (need > matrix.length) {
      const grown = new Float32Array(Math.max(need, matrix.length * 2));
      grown.set(matrix.subarray(0, rows * dim));
      matrix = grown;
    }
    matrix.set(vectors, rows * dim);
    rows += newIds.length;
    ids = ids.concat(newIds);
    for (const id of newIds) known.add(id);
  };

  const validate = (docs: readonly DocumentInput[]) => {
    const seen = new Set<string>();
    docs.forEach((d, i) => {
      if (!d || typeof d.id !== 'string' || d.id === '') throw createError('INVALID_ARGUMENT', `document ${i} needs a non-empty string id`);
      if (typeof d.text !== 'string') throw createError('INVALID_ARGUMENT', `document "${d.id}" has no text`);
      if (d.text.trim() === '') throw createError('EMPTY_TEXT', `document "${d.id}" has empty text`, { id: d.id });
      if (d.text.length > maxTextLength) {
        throw createError('TEXT_TOO_LONG', `document "${d.id}" has ${d.text.length} characters (limit ${maxTextLength}); split it into passages with chunkText() first`, { id: d.id });
      }
      if (seen.has(d.id)) throw createError('INVALID_ARGUMENT', `document id "${d.id}" appears twice in one call`);
      seen.add(d.id);
    });
  };

  return {
    get manifest() {
      return manifest;
    },
    async add(docs, addOptions = {}) {
      validate(docs); // before any write: a bad document rejects the call and stores nothing
      const fresh = docs.filter((d) => !known.has(d.id));
      const skipped = docs.filter((d) => known.has(d.id)).map((d) => d.id);
      const truncated: string[] = [];
      const onProgress = addOptions.onProgress;
      const t0 = performance.now();
      let done = 0;
      for (let start = 0; start < fresh.length; start += commitBatch) {
        const batch = fresh.slice(start, start + commitBatch);
        const result = await embedder.embed(batch.map((d) => d.text), 'passage', (p) => {
          if (p.status !== 'embed') return;
          const secs = (performance.now() - t0) / 1000;
          onProgress?.({ status: 'embed', done: done + p.done, total: fresh.length, textsPerSecond: secs > 0 ? (done + p.done) / secs : 0 });
        });
        result.truncated.forEach((t, i) => t && truncated.push(batch[i]!.id));
        manifest = await store.append(name, batch, result.vectors);
        appendRows(batch.map((d) => d.id), result.vectors);
        done += batch.length;
        onProgress?.({ status: 'store', done, total: fresh.length });
      }
      return { added: fresh.length, skipped, truncated };
    },
    async search(query, searchOptions = {}) {
      const k = searchOptions.k ?? 10;
      if (typeof query !== 'string' || query.trim() === '') throw createError('EMPTY_TEXT', 'the query is empty');
      if (!Number.isInteger(k) || k < 1) throw createError('INVALID_ARGUMENT', `k must be a positive integer, got ${k}`);
      if (rows === 0) return [];
      const { vectors } = await embedder.embed([query], 'query');
      const hits = dotTopK(matrix.subarray(0, rows * dim), dim, vectors, k);
      const docs = await store.getDocuments(name, hits.map((h) => ids[h.index]!));
      return hits.flatMap((h, i) => {
        const d = docs[i];
        return d ? [toHit(d, h.score)] : [];
      });
    },
    count: () => rows,
    async clear() {
      await store.clear(name);
      manifest = await store.openCollection(name, embedder.info);
      ids = [];
      rows = 0;
      matrix = new Float32Array(0);
      known.clear();
    },
    async close() {
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
