// VectorStore over IndexedDB (idb).
//
// Layout. A collection's logical name maps to a physical id; documents and
// vector blocks are keyed by the physical id. Vectors live in blocks of up to
// BLOCK_ROWS rows (one ArrayBuffer plus the row ids per record), so opening a
// 100k-vector collection is a few dozen reads rather than 100k. New rows fill
// the last block first. Replaced or deleted rows become tombstones (a null id).
// A blue-green rebuild fills a second physical id and switches the name over
// in one transaction; the old physical id is then "retired" and deleted.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { createError, isPagesenseError } from '../core/errors.ts';
import { decodeIndexFile, encodeIndexFile } from '../core/index-file.ts';
import { assertCompatible, assertManifest, createManifest, pickSpec, type CollectionManifest, type EmbeddingSpec } from '../core/manifest.ts';
import { assertVectors } from '../core/vectors.ts';
import type { DocumentInput, LoadedVectors, StoredDocument, VectorStore } from './vector-store.ts';

export const BLOCK_ROWS = 2048;
const DB_VERSION = 1;
const REBUILD_SUFFIX = '\u0001rebuild';

interface CollectionRecord {
  name: string;
  physical: string;
  manifest: CollectionManifest;
  nextBlock: number;
  deadRows: number;
}

interface BlockRecord {
  collection: string; // physical id
  block: number;
  ids: (string | null)[];
  vectors: ArrayBuffer;
}

interface DocumentRecord extends StoredDocument {
  block: number;
  slot: number;
}

interface PagesenseDB extends DBSchema {
  collections: { key: string; value: CollectionRecord };
  documents: { key: [string, string]; value: DocumentRecord };
  blocks: { key: [string, number]; value: BlockRecord };
  retired: { key: string; value: { physical: string } };
}

type WriteTx = IDBPTransaction<PagesenseDB, ('collections' | 'documents' | 'blocks' | 'retired')[], 'readwrite'>;

export interface IndexedDBStoreOptions {
  /** Database name. Default 'pagesense'. */
  databaseName?: string;
  /** Called when another tab needs a newer schema; this connection closes itself first so that tab is not blocked. */
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
        upgradeDb.createObjectStore('retired', { keyPath: 'physical' });
      },
      blocking() {
        db.close();
        options.onVersionChange?.();
      },
    });
  } catch (err) {
    throw storageError(err, `open database "${name}"`);
  }
  const store = new IndexedDBStore(db, name);
  await store.purgeRetired();
  return store;
}

function storageError(err: unknown, action: string) {
  if (isPagesenseError(err)) return err;
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'QuotaExceededError') {
    return createError('QUOTA_EXCEEDED', `Storage quota exceeded while trying to ${action}; nothing from this operation was saved. Free space or clear a collection.`, undefined, err);
  }
  if (e?.name === 'ConstraintError') {
    return createError('INVALID_ARGUMENT', `a document id is already in the collection (while trying to ${action}); nothing from this batch was saved. Use upsert to replace documents.`, undefined, err);
  }
  return createError('STORAGE_FAILED', `IndexedDB failed to ${action}: ${e?.name ?? ''} ${e?.message ?? String(err)}`, undefined, err);
}

const physicalRange = (physical: string) => IDBKeyRange.bound([physical, -Infinity], [physical, []]);

class IndexedDBStore implements VectorStore {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(collection: string) => void>();

  constructor(private readonly db: IDBPDatabase<PagesenseDB>, databaseName: string) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`pagesense:${databaseName}`) : null;
    this.channel?.addEventListener('message', (e: MessageEvent<{ collection?: unknown }>) => {
      if (typeof e.data?.collection === 'string') for (const l of this.listeners) l(e.data.collection);
    });
  }

  private announce(collection: string): void {
    this.channel?.postMessage({ collection });
  }

  /** Runs `body` in one read-write transaction; any failure aborts it whole. */
  private async write<T>(action: string, body: (tx: WriteTx) => Promise<T>): Promise<T> {
    const tx = this.db.transaction(['collections', 'documents', 'blocks', 'retired'], 'readwrite');
    const done = tx.done;
    try {
      const result = await body(tx);
      await done;
      return result;
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await done.catch(() => undefined);
      throw storageError(err, action);
    }
  }

  private async record(tx: WriteTx | null, name: string): Promise<CollectionRecord> {
    const rec = tx ? await tx.objectStore('collections').get(name) : await this.db.get('collections', name);
    if (!rec) throw createError('INVALID_ARGUMENT', `collection "${name}" does not exist; open it first`);
    assertManifest(rec.manifest, `collection "${name}"`);
    return rec;
  }

  async openCollection(name: string, spec: EmbeddingSpec): Promise<CollectionManifest> {
    // Staging collections are made by beginRebuild only; they may be opened (to fill them), not created.
    if (name.includes(REBUILD_SUFFIX) && !(await this.db.get('collections', name))) {
      throw createError('INVALID_ARGUMENT', 'collection names may not contain control characters');
    }
    return this.create(name, spec, false);
  }

  private async create(name: string, spec: EmbeddingSpec, fresh: boolean): Promise<CollectionManifest> {
    return this.write(`create collection "${name}"`, async (tx) => {
      const existing = await tx.objectStore('collections').get(name);
      if (existing && !fresh) {
        assertManifest(existing.manifest, `collection "${name}"`);
        assertCompatible(existing.manifest, spec, name);
        return existing.manifest;
      }
      if (existing) await tx.objectStore('retired').put({ physical: existing.physical });
      const rec: CollectionRecord = {
        name,
        physical: `${name}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 10)}`,
        manifest: createManifest(name, spec, Date.now()),
        nextBlock: 0,
        deadRows: 0,
      };
      await tx.objectStore('collections').put(rec);
      return rec.manifest;
    });
  }

  async getManifest(name: string): Promise<CollectionManifest | undefined> {
    return (await this.db.get('collections', name))?.manifest;
  }

  async listCollections(): Promise<CollectionManifest[]> {
    return (await this.db.getAll('collections')).filter((r) => !r.name.includes(REBUILD_SUFFIX)).map((r) => r.manifest);
  }

  private checkBatch(rec: CollectionRecord, docs: readonly DocumentInput[], vectors: Float32Array): void {
    const dim = rec.manifest.dimension;
    const rows = assertVectors(vectors, dim, `vectors for "${rec.name}"`);
    if (rows !== docs.length) {
      throw createError('DIMENSION_MISMATCH', `${docs.length} documents but ${rows} vectors of dimension ${dim}`, { documents: docs.length, rows });
    }
    const seen = new Set<string>();
    for (const d of docs) {
      if (typeof d.id !== 'string' || d.id === '') throw createError('INVALID_ARGUMENT', 'every document needs a non-empty string id');
      if (seen.has(d.id)) throw createError('INVALID_ARGUMENT', `document id "${d.id}" appears twice in one batch`);
      seen.add(d.id);
    }
  }

  /** Appends rows, filling the last block before starting new ones. */
  private async writeRows(tx: WriteTx, rec: CollectionRecord, docs: readonly DocumentInput[], vectors: Float32Array, mode: 'add' | 'put'): Promise<void> {
    const dim = rec.manifest.dimension;
    const blocks = tx.objectStore('blocks');
    const documents = tx.objectStore('documents');
    const writes: Promise<unknown>[] = [];
    // If the batch fails midway, the abort rejects requests nobody awaits yet: mark them handled.
    const track = (p: Promise<unknown>) => {
      p.catch(() => undefined);
      writes.push(p);
    };
    let i = 0;
    const tail = rec.nextBlock > 0 ? await blocks.get([rec.physical, rec.nextBlock - 1]) : undefined;
    const place = (block: BlockRecord, from: number, count: number) => {
      const start = block.ids.length;
      const merged = new Float32Array((start + count) * dim);
      merged.set(new Float32Array(block.vectors));
      merged.set(vectors.subarray(from * dim, (from + count) * dim), start * dim);
      block.vectors = merged.buffer;
      for (let j = 0; j < count; j++) {
        const d = docs[from + j]!;
        block.ids.push(d.id);
        const row: DocumentRecord = { collection: rec.physical, id: d.id, text: d.text, block: block.block, slot: start + j };
        if (d.title !== undefined) row.title = d.title;
        if (d.url !== undefined) row.url = d.url;
        if (d.meta !== undefined) row.meta = d.meta;
        track(mode === 'add' ? documents.add(row) : documents.put(row));
      }
      track(blocks.put(block));
    };
    if (tail && tail.ids.length < BLOCK_ROWS) {
      const take = Math.min(BLOCK_ROWS - tail.ids.length, docs.length);
      place(tail, 0, take);
      i = take;
    }
    while (i < docs.length) {
      const take = Math.min(BLOCK_ROWS, docs.length - i);
      place({ collection: rec.physical, block: rec.nextBlock++, ids: [], vectors: new ArrayBuffer(0) }, i, take);
      i += take;
    }
    await Promise.all(writes);
  }

  /** Turns the rows of existing ids into tombstones and drops their document records; returns how many existed. */
  private async tombstone(tx: WriteTx, rec: CollectionRecord, ids: readonly string[]): Promise<number> {
    const documents = tx.objectStore('documents');
    const found = (await Promise.all(ids.map((id) => documents.get([rec.physical, id])))).filter((d): d is DocumentRecord => !!d);
    const byBlock = new Map<number, number[]>();
    for (const d of found) byBlock.set(d.block, [...(byBlock.get(d.block) ?? []), d.slot]);
    const blocks = tx.objectStore('blocks');
    for (const [b, slots] of byBlock) {
      const block = await blocks.get([rec.physical, b]);
      if (!block) throw createError('CORRUPT_INDEX', `collection "${rec.name}": block ${b} is missing`);
      for (const s of slots) block.ids[s] = null;
      await blocks.put(block);
    }
    await Promise.all(found.map((d) => documents.delete([rec.physical, d.id])));
    rec.deadRows += found.length;
    return found.length;
  }

  private async finishWrite(tx: WriteTx, rec: CollectionRecord, delta: number): Promise<CollectionManifest> {
    rec.manifest = {
      ...rec.manifest,
      documentCount: rec.manifest.documentCount + delta,
      vectorCount: rec.manifest.vectorCount + delta,
      updatedAt: Date.now(),
    };
    await tx.objectStore('collections').put(rec);
    return rec.manifest;
  }

  async append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    const manifest = await this.write(`write ${docs.length} documents to "${name}"`, async (tx) => {
      const rec = await this.record(tx, name);
      this.checkBatch(rec, docs, vectors);
      await this.writeRows(tx, rec, docs, vectors, 'add');
      return this.finishWrite(tx, rec, docs.length);
    });
    this.announce(name);
    return manifest;
  }

  async upsert(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    const manifest = await this.write(`upsert ${docs.length} documents into "${name}"`, async (tx) => {
      const rec = await this.record(tx, name);
      this.checkBatch(rec, docs, vectors);
      const replaced = await this.tombstone(tx, rec, docs.map((d) => d.id));
      await this.writeRows(tx, rec, docs, vectors, 'add');
      return this.finishWrite(tx, rec, docs.length - replaced);
    });
    this.announce(name);
    return manifest;
  }

  async delete(name: string, ids: readonly string[]): Promise<CollectionManifest> {
    const manifest = await this.write(`delete ${ids.length} documents from "${name}"`, async (tx) => {
      const rec = await this.record(tx, name);
      const removed = await this.tombstone(tx, rec, [...new Set(ids)]);
      return this.finishWrite(tx, rec, -removed);
    });
    this.announce(name);
    return manifest;
  }

  async loadVectors(name: string): Promise<LoadedVectors> {
    const rec = await this.record(null, name);
    const dim = rec.manifest.dimension;
    const blocks = await this.db.getAll('blocks', physicalRange(rec.physical));
    let live = 0;
    for (const b of blocks) {
      if (!(b.vectors instanceof ArrayBuffer) || !Array.isArray(b.ids) || b.vectors.byteLength !== b.ids.length * dim * 4) {
        throw createError('CORRUPT_INDEX', `collection "${name}": block ${b.block} holds ${b.vectors?.byteLength} bytes for ${b.ids?.length} rows of dimension ${dim}`);
      }
      for (const id of b.ids) if (id !== null) live++;
    }
    if (live !== rec.manifest.vectorCount) {
      throw createError('CORRUPT_INDEX', `collection "${name}": the manifest counts ${rec.manifest.vectorCount} vectors, the blocks hold ${live}`);
    }
    const vectors = new Float32Array(live * dim);
    const ids: string[] = [];
    for (const b of blocks) {
      const data = new Float32Array(b.vectors);
      if (b.ids.every((id) => id !== null)) {
        vectors.set(data, ids.length * dim);
        for (const id of b.ids) ids.push(id!);
        continue;
      }
      b.ids.forEach((id, slot) => {
        if (id === null) return;
        vectors.set(data.subarray(slot * dim, slot * dim + dim), ids.length * dim);
        ids.push(id);
      });
    }
    return { ids, vectors };
  }

  async getDocuments(name: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]> {
    const rec = await this.record(null, name);
    const tx = this.db.transaction('documents', 'readonly');
    const rows = await Promise.all(ids.map((id) => tx.store.get([rec.physical, id])));
    await tx.done;
    return rows.map((r) => {
      if (!r) return undefined;
      const { block: _b, slot: _s, ...doc } = r;
      return { ...doc, collection: name };
    });
  }

  async hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]> {
    const rec = await this.record(null, name);
    const tx = this.db.transaction('documents', 'readonly');
    const out = await Promise.all(ids.map(async (id) => (await tx.store.getKey([rec.physical, id])) !== undefined));
    await tx.done;
    return out;
  }

  async clear(name: string): Promise<void> {
    await this.write(`clear collection "${name}"`, async (tx) => {
      const rec = await tx.objectStore('collections').get(name);
      if (!rec) return;
      await tx.objectStore('collections').delete(name);
      await tx.objectStore('retired').put({ physical: rec.physical });
    });
    this.announce(name);
    await this.purgeRetired();
  }

  /** Deletes the data of retired physical ids (after a switch, a clear, or a crash between the two). */
  async purgeRetired(): Promise<void> {
    const retired = await this.db.getAll('retired');
    for (const { physical } of retired) {
      await this.write(`delete retired data of ${physical}`, async (tx) => {
        await tx.objectStore('documents').delete(physicalRange(physical));
        await tx.objectStore('blocks').delete(physicalRange(physical));
        await tx.objectStore('retired').delete(physical);
      });
    }
  }

  async beginRebuild(name: string, spec: EmbeddingSpec): Promise<string> {
    const staging = name + REBUILD_SUFFIX;
    await this.create(staging, spec, true);
    await this.purgeRetired();
    return staging;
  }

  async commitRebuild(name: string): Promise<CollectionManifest> {
    const staging = name + REBUILD_SUFFIX;
    const manifest = await this.write(`switch collection "${name}" to its rebuild`, async (tx) => {
      const next = await this.record(tx, staging);
      const live = await tx.objectStore('collections').get(name);
      const switched: CollectionRecord = { ...next, name, manifest: { ...next.manifest, name, updatedAt: Date.now() } };
      await tx.objectStore('collections').put(switched);
      await tx.objectStore('collections').delete(staging);
      if (live) await tx.objectStore('retired').put({ physical: live.physical });
      return switched.manifest;
    });
    this.announce(name);
    await this.purgeRetired();
    return manifest;
  }

  async abortRebuild(name: string): Promise<void> {
    await this.clear(name + REBUILD_SUFFIX);
  }

  async exportCollection(name: string): Promise<Uint8Array> {
    const rec = await this.record(null, name);
    const { ids, vectors } = await this.loadVectors(name);
    const docs = await this.getDocuments(name, ids);
    return encodeIndexFile({
      manifest: rec.manifest,
      vectors,
      documents: docs.map((d, i) => {
        if (!d) throw createError('CORRUPT_INDEX', `collection "${name}": vector ${ids[i]} has no document`);
        const { collection: _c, ...doc } = d;
        return doc;
      }),
    });
  }

  async importCollection(name: string, file: Uint8Array): Promise<CollectionManifest> {
    const contents = decodeIndexFile(file); // everything is validated before the first write
    const staging = await this.beginRebuild(name, pickSpec(contents.manifest));
    try {
      await this.append(staging, contents.documents, contents.vectors);
      return await this.commitRebuild(name);
    } catch (err) {
      await this.abortRebuild(name).catch(() => undefined);
      throw err;
    }
  }

  onExternalChange(listener: (collection: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }
}
