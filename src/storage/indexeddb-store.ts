// VectorStore over IndexedDB (idb). Vectors live in blocks (one ArrayBuffer of
// up to BLOCK_ROWS rows plus their ids per record), so opening a large
// collection is a handful of reads rather than one per vector.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { createError } from '../core/errors.ts';
import { assertCompatible, assertManifest, createManifest, type CollectionManifest, type EmbeddingSpec } from '../core/manifest.ts';
import { assertVectors } from '../core/vectors.ts';
import type { DocumentInput, LoadedVectors, StoredDocument, VectorStore } from './vector-store.ts';

export const BLOCK_ROWS = 2048;
const DB_VERSION = 1;

interface CollectionRecord {
  name: string;
  manifest: CollectionManifest;
  nextBlock: number;
}

interface BlockRecord {
  collection: string;
  block: number;
  ids: string[];
  vectors: ArrayBuffer;
}

interface PagesenseDB extends DBSchema {
  collections: { key: string; value: CollectionRecord };
  documents: { key: [string, string]; value: StoredDocument };
  blocks: { key: [string, number]; value: BlockRecord };
}

export interface IndexedDBStoreOptions {
  /** Database name. Default 'pagesense'. */
  databaseName?: string;
  /** Called when another tab needs a newer schema; the connection closes itself first. */
  onVersionChange?: () => void;
}

export async function openIndexedDBStore(options: IndexedDBStoreOptions = {}): Promise<VectorStore> {
  const name = options.databaseName ?? 'pagesense';
  let db: IDBPDatabase<PagesenseDB>;
  try {
    db = await openDB<PagesenseDB>(name, DB_VERSION, {
      upgrade(upgradeDb) {
        upgradeDb.createObjectStore('collections', { keyPath: 'name' });
        upgradeDb.createObjectStore('documents', { keyPath: ['collection', 'id'] });
        upgradeDb.createObjectStore('blocks', { keyPath: ['collection', 'block'] });
      },
      blocking() {
        // Another tab wants to upgrade: step aside rather than hang it.
        db.close();
        options.onVersionChange?.();
      },
    });
  } catch (err) {
    throw storageError(err, `open database "${name}"`);
  }
  return new IndexedDBStore(db);
}

function storageError(err: unknown, action: string) {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'QuotaExceededError') {
    return createError('QUOTA_EXCEEDED', `Storage quota exceeded while trying to ${action}; nothing from this batch was saved. Free space or clear a collection.`, undefined, err);
  }
  return createError('STORAGE_FAILED', `IndexedDB failed to ${action}: ${e?.name ?? ''} ${e?.message ?? String(err)}`, undefined, err);
}

class IndexedDBStore implements VectorStore {
  constructor(private readonly db: IDBPDatabase<PagesenseDB>) {}

  private async record(name: string): Promise<CollectionRecord> {
    const rec = await this.db.get('collections', name);
    if (!rec) throw createError('INVALID_ARGUMENT', `collection "${name}" does not exist; open it first`);
    assertManifest(rec.manifest, `collection "${name}"`);
    return rec;
  }

  async openCollection(name: string, spec: EmbeddingSpec): Promise<CollectionManifest> {
    const existing = await this.db.get('collections', name);
    if (existing) {
      assertManifest(existing.manifest, `collection "${name}"`);
      assertCompatible(existing.manifest, spec, name);
      return existing.manifest;
    }
    const rec: CollectionRecord = { name, manifest: createManifest(name, spec, Date.now()), nextBlock: 0 };
    try {
      await this.db.add('collections', rec);
    } catch (err) {
      // Another tab created it between our read and write: use theirs if compatible.
      if ((err as { name?: string }).name === 'ConstraintError') return this.openCollection(name, spec);
      throw storageError(err, `create collection "${name}"`);
    }
    return rec.manifest;
  }

  async append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    const { manifest } = await this.record(name);
    const dim = manifest.dimension;
    const rows = assertVectors(vectors, dim, `vectors for "${name}"`);
    if (rows !== docs.length) {
      throw createError('DIMENSION_MISMATCH', `${docs.length} documents but ${rows} vectors of dimension ${dim}`, { documents: docs.length, rows });
    }
    const tx = this.db.transaction(['collections', 'documents', 'blocks'], 'readwrite');
    const done = tx.done;
    try {
      const rec = await tx.objectStore('collections').get(name);
      if (!rec) throw createError('INVALID_ARGUMENT', `collection "${name}" was removed`);
      const writes: Promise<unknown>[] = [];
      for (let start = 0; start < docs.length; start += BLOCK_ROWS) {
        const end = Math.min(docs.length, start + BLOCK_ROWS);
        const slice = vectors.slice(start * dim, end * dim);
        writes.push(tx.objectStore('blocks').add({
          collection: name,
          block: rec.nextBlock++,
          ids: docs.slice(start, end).map((d) => d.id),
          vectors: slice.buffer,
        }));
      }
      for (const d of docs) writes.push(tx.objectStore('documents').add(toStored(name, d)));
      rec.manifest = {
        ...rec.manifest,
        documentCount: rec.manifest.documentCount + docs.length,
        vectorCount: rec.manifest.vectorCount + docs.length,
        updatedAt: Date.now(),
      };
      writes.push(tx.objectStore('collections').put(rec));
      await Promise.all(writes);
      await done;
      return rec.manifest;
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await done.catch(() => undefined);
      if ((err as { code?: string }).code) throw err;
      if ((err as { name?: string }).name === 'ConstraintError') {
        throw createError('INVALID_ARGUMENT', `a document id in this batch is already in collection "${name}"; nothing from this batch was saved`, undefined, err);
      }
      throw storageError(err, `write ${docs.length} documents to "${name}"`);
    }
  }

  async loadVectors(name: string): Promise<LoadedVectors> {
    const { manifest } = await this.record(name);
    const dim = manifest.dimension;
    const range = IDBKeyRange.bound([name, 0], [name, Infinity]);
    const blocks = await this.db.getAll('blocks', range);
    let rows = 0;
    for (const b of blocks) {
      if (!(b.vectors instanceof ArrayBuffer) || b.vectors.byteLength !== b.ids.length * dim * 4) {
        throw createError('CORRUPT_INDEX', `collection "${name}": block ${b.block} holds ${b.vectors?.byteLength} bytes for ${b.ids?.length} ids of dimension ${dim}`);
      }
      rows += b.ids.length;
    }
    if (rows !== manifest.vectorCount) {
      throw createError('CORRUPT_INDEX', `collection "${name}": manifest counts ${manifest.vectorCount} vectors, blocks hold ${rows}`);
    }
    const vectors = new Float32Array(rows * dim);
    const ids: string[] = [];
    let at = 0;
    for (const b of blocks) {
      vectors.set(new Float32Array(b.vectors), at);
      at += b.ids.length * dim;
      for (const id of b.ids) ids.push(id);
    }
    return { ids, vectors };
  }

  async getDocuments(name: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]> {
    const tx = this.db.transaction('documents', 'readonly');
    const out = await Promise.all(ids.map((id) => tx.store.get([name, id])));
    await tx.done;
    return out;
  }

  async hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]> {
    const tx = this.db.transaction('documents', 'readonly');
    const out = await Promise.all(ids.map(async (id) => (await tx.store.getKey([name, id])) !== undefined));
    await tx.done;
    return out;
  }

  async clear(name: string): Promise<void> {
    const tx = this.db.transaction(['collections', 'documents', 'blocks'], 'readwrite');
    await Promise.all([
      tx.objectStore('collections').delete(name),
      tx.objectStore('documents').delete(IDBKeyRange.bound([name, ''], [name, []])),
      tx.objectStore('blocks').delete(IDBKeyRange.bound([name, 0], [name, Infinity])),
      tx.done,
    ]);
  }

  close(): void {
    this.db.close();
  }
}

function toStored(collection: string, d: DocumentInput): StoredDocument {
  const out: StoredDocument = { collection, id: d.id, text: d.text };
  if (d.title !== undefined) out.title = d.title;
  if (d.url !== undefined) out.url = d.url;
  if (d.meta !== undefined) out.meta = d.meta;
  return out;
}
