// A VectorStore in the page's memory, for when IndexedDB cannot be opened (storage
// blocked by the visitor's settings, a sandboxed frame, a browser mode without it).
// Everything works for the life of the page and nothing outlives it. It keeps float32
// rows only: an int8 collection here is scanned exactly, as float32.
import { createManifest, type CollectionManifest, type EmbeddingSpec } from '../core/manifest.ts';
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import { decodeIndexFile, encodeIndexFile } from '../core/index-file.ts';
import { checkExisting, newQuantization } from './collection-checks.ts';
import { REBUILD_SUFFIX } from './idb-schema.ts';
import { checkBatch } from './row-writer.ts';
import type { CollectionOptions, DocumentInput, LoadedVectors, RowSink, StoredDocument, VectorReader, VectorStore } from './vector-store.ts';

interface Row {
  doc: StoredDocument;
  vector: Float32Array;
}

interface Collection {
  manifest: CollectionManifest;
  rows: Map<string, Row>;
  /** Bumped by every write: names the snapshot a read saw. */
  version: number;
}

/** `because`: why the data cannot persist (shown as the index's `info.storageReason`). */
export function createMemoryStore(because = 'a memory store was asked for'): VectorStore {
  const collections = new Map<string, Collection>();
  let closed = false;

  const get = (name: string): Collection => {
    if (closed) throw createError('CLOSED', 'the pagesense store is closed');
    const c = collections.get(name);
    if (!c) throw ERROR_MESSAGES.collectionNotFound(name);
    return c;
  };
  const touched = (c: Collection): CollectionManifest => {
    c.version++;
    c.manifest = { ...c.manifest, documentCount: c.rows.size, vectorCount: c.rows.size, updatedAt: Date.now() };
    return c.manifest;
  };
  const create = (name: string, spec: EmbeddingSpec, options: CollectionOptions): CollectionManifest => {
    const c: Collection = { manifest: createManifest(name, spec, Date.now(), newQuantization(options)), rows: new Map(), version: 0 };
    collections.set(name, c);
    return c.manifest;
  };
  /** Writes docs and their rows; `replace` lets an id that exists be overwritten (upsert), else it fails the whole batch. */
  const write = (name: string, docs: readonly DocumentInput[], vectors: Float32Array, replace: boolean): CollectionManifest => {
    const c = get(name);
    checkBatch({ name, manifest: c.manifest }, docs, vectors);
    if (!replace) for (const d of docs) if (c.rows.has(d.id)) throw ERROR_MESSAGES.alreadyStored(`collection "${name}"`, d.id);
    const dim = c.manifest.dimension;
    docs.forEach((d, i) => {
      c.rows.delete(d.id); // an upserted document moves to the end, as a rewritten row does in IndexedDB
      c.rows.set(d.id, { doc: structuredClone({ ...d, collection: name }), vector: vectors.slice(i * dim, (i + 1) * dim) });
    });
    return touched(c);
  };
  const snapshot = (c: Collection) => `memory:${c.version}`;
  const rowsOf = (c: Collection) => {
    const ids = [...c.rows.keys()];
    const vectors = new Float32Array(ids.length * c.manifest.dimension);
    ids.forEach((id, i) => vectors.set(c.rows.get(id)!.vector, i * c.manifest.dimension));
    return { ids, vectors, positions: Int32Array.from(ids, (_, i) => i) };
  };
  const row = (name: string, c: Collection, id: string) => {
    const r = c.rows.get(id);
    if (!r) throw ERROR_MESSAGES.documentNotFound(id, name);
    return r;
  };

  const store: VectorStore = {
    inMemoryBecause: because,
    async openCollection(name, spec, options = {}) {
      if (closed) throw createError('CLOSED', 'the pagesense store is closed');
      const c = collections.get(name);
      return c ? checkExisting(c.manifest, spec, options, name) : create(name, spec, options);
    },
    getManifest: async (name) => collections.get(name)?.manifest,
    listCollections: async () => [...collections.entries()].filter(([n]) => !n.includes(REBUILD_SUFFIX)).map(([, c]) => c.manifest),
    append: async (name, docs, vectors) => write(name, docs, vectors, false),
    upsert: async (name, docs, vectors) => write(name, docs, vectors, true),
    async delete(name, ids) {
      const c = get(name);
      for (const id of ids) c.rows.delete(id);
      return touched(c);
    },
    async readVectors(name): Promise<VectorReader> {
      const c = get(name);
      const block = rowsOf(c);
      return {
        manifest: c.manifest,
        rows: block.ids.length,
        snapshot: snapshot(c),
        blocks: (async function* () {
          yield block;
        })(),
      };
    },
    async loadInto(name, sink: RowSink) {
      const c = get(name);
      const block = rowsOf(c);
      sink.begin(c.manifest, block.ids.length);
      if (block.ids.length) sink.add(block);
      return { manifest: c.manifest, snapshot: snapshot(c) };
    },
    async loadVectors(name): Promise<LoadedVectors> {
      const { ids, vectors } = rowsOf(get(name));
      return { ids, vectors };
    },
    async getVectors(name, ids) {
      const c = get(name);
      const out = new Float32Array(ids.length * c.manifest.dimension);
      ids.forEach((id, i) => out.set(row(name, c, id).vector, i * c.manifest.dimension));
      return out;
    },
    getDocuments: async (name, ids) => {
      const c = get(name);
      return ids.map((id) => {
        const r = c.rows.get(id);
        return r && structuredClone(r.doc);
      });
    },
    hasDocuments: async (name, ids) => {
      const c = get(name);
      return ids.map((id) => c.rows.has(id));
    },
    async clear(name) {
      get(name);
      collections.delete(name);
    },
    async beginRebuild(name, spec, options = {}) {
      get(name);
      const staging = `${name}${REBUILD_SUFFIX}`;
      create(staging, spec, options);
      return staging;
    },
    async commitRebuild(name) {
      const staged = get(`${name}${REBUILD_SUFFIX}`);
      collections.delete(`${name}${REBUILD_SUFFIX}`);
      staged.manifest = { ...staged.manifest, name };
      staged.version = (collections.get(name)?.version ?? 0) + 1;
      collections.set(name, staged);
      return staged.manifest;
    },
    async abortRebuild(name) {
      collections.delete(`${name}${REBUILD_SUFFIX}`);
    },
    // Deleted rows leave nothing behind in memory: there is never anything to compact.
    compact: async (name) => (get(name), null),
    async exportCollection(name) {
      const c = get(name);
      const { vectors } = rowsOf(c);
      return encodeIndexFile({ manifest: c.manifest, vectors, documents: [...c.rows.values()].map(({ doc: { collection: _, ...d } }) => d) });
    },
    async importCollection(name, file) {
      const { manifest, vectors, documents } = decodeIndexFile(file);
      const c: Collection = { manifest: { ...manifest, name }, rows: new Map(), version: (collections.get(name)?.version ?? 0) + 1 };
      const dim = manifest.dimension;
      documents.forEach((d, i) => c.rows.set(d.id, { doc: { ...d, collection: name }, vector: vectors.slice(i * dim, (i + 1) * dim) }));
      collections.set(name, c);
      return touched(c);
    },
    // No other tab can see this memory.
    onExternalChange: () => () => {},
    close() {
      closed = true;
      collections.clear();
    },
  };
  return store;
}
