// VectorStore over IndexedDB (idb): the catalog of collections (name -> physical
// id), writes, reads and rebuilds, composed from one file per concern:
//   idb-schema.ts        records, schema version and upgrade
//   idb-transactions.ts  write transactions and error mapping
//   row-writer.ts        appending and tombstoning rows inside a transaction
//   id-maps.ts           id -> row maps, built when first needed
//   block-reader.ts      an open's read of the blocks (and of the vector file)
//   load-into.ts         filling a search index's memory from that read
//   row-lookups.ts       rows and documents by id (re-ranking, results)
//   rebuilds.ts          blue-green rebuilds: compaction, import, export
//   tab-channel.ts       telling other tabs what changed
// A blue-green rebuild fills a second physical id and switches the name over in one
// transaction; the old physical id is then "retired" and deleted. Full float blocks
// are also copied to a vector file in OPFS (vector-file-mirror.ts), counted in the
// collection record once flushed, with a probe per block.
import { assertKnownOptions, assertOptionValues, optionNames } from '../core/options.ts';
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import { assertManifest, createManifest, type CollectionManifest, type EmbeddingSpec } from '../core/manifest.ts';
import type { BlockProbe } from './block-probe.ts';
import { physicalRange } from './block-records.ts';
import { readBlocks, type BlockRead, type BlockReadOptions } from './block-reader.ts';
import { IdMaps, type IdMap } from './id-maps.ts';
import { openPagesenseDB, REBUILD_SUFFIX, type CollectionRecord, type Database, type WriteTx } from './idb-schema.ts';
import { storageError, writeTransaction } from './idb-transactions.ts';
import { readDerived, writeDerived, type DerivedRead } from './derived-data.ts';
import { loadInto } from './load-into.ts';
import { Rebuilds } from './rebuilds.ts';
import { RowLookups } from './row-lookups.ts';
import { checkBatch, finishWrite, tombstone, writeRows } from './row-writer.ts';
import type { IndexedDBStoreOptions } from './indexeddb-options.ts';
import { TabChannel } from './tab-channel.ts';
import { checkExisting, newQuantization } from './collection-checks.ts';
import { evictionSince, noteCollections } from './eviction-marker.ts';
import { openVectorFiles, type VectorFiles } from './vector-file.ts';
import { VectorFileMirror, type SealedBlock } from './vector-file-mirror.ts';
import type {
  CollectionOptions,
  DocumentInput,
  LoadedVectors,
  ReadVectorsOptions,
  RowHints,
  RowSink,
  StoredDocument,
  VectorReader,
  VectorStore,
} from './vector-store.ts';

export type { IndexedDBStoreOptions, VectorFileOptions } from './indexeddb-options.ts';

const STORE_OPTIONS = optionNames<IndexedDBStoreOptions>({ databaseName: true, onVersionChange: true, vectorFiles: true });

export async function openIndexedDBStore(options: IndexedDBStoreOptions = {}): Promise<VectorStore> {
  assertKnownOptions(options, STORE_OPTIONS, 'openIndexedDBStore');
  assertOptionValues(options, { databaseName: 'string', onVersionChange: 'function' }, 'openIndexedDBStore');
  if (options.vectorFiles !== undefined && typeof options.vectorFiles !== 'boolean') {
    assertKnownOptions(options.vectorFiles, ['minRows'], 'openIndexedDBStore: vectorFiles');
    assertOptionValues(options.vectorFiles, { minRows: 'nonNegativeNumber' }, 'openIndexedDBStore: vectorFiles');
  }
  const name = options.databaseName ?? 'pagesense';
  let db: Database;
  // eslint-disable-next-line prefer-const -- the blocking callback below reads it; it is assigned once the database is open
  let store: IndexedDBStore | undefined;
  try {
    db = await openPagesenseDB(name, () => {
      store?.shutDown('another tab opened this database with a newer version of the page; reload this page to keep using it');
      db.close();
      options.onVersionChange?.();
    });
  } catch (err) {
    throw storageError(err, `open database "${name}"`);
  }
  const files = options.vectorFiles === false ? undefined : openVectorFiles();
  store = new IndexedDBStore(db, name, files, (typeof options.vectorFiles === 'object' ? options.vectorFiles.minRows : undefined) ?? 16_384);
  await store.purgeRetired();
  store.dataLost = evictionSince(name, (await store.listCollections()).length);
  return store;
}

class IndexedDBStore implements VectorStore {
  private readonly tabs: TabChannel;
  private readonly idMaps = new IdMaps();
  private readonly lookups = new RowLookups(this.idMaps);
  private readonly mirror: VectorFileMirror | undefined;
  private readonly rebuilds = new Rebuilds(this, {
    write: (action, body) => this.write(action, body),
    create: (name, spec, fresh, options) => this.create(name, spec, fresh, options),
    announce: (name) => this.tabs.announce(name),
  });
  private closedBecause: string | undefined;
  /** Set at open when the collections an earlier visit stored are gone (see eviction-marker.ts). */
  dataLost: string | undefined;

  constructor(
    private readonly database: Database,
    private readonly databaseName: string,
    files: VectorFiles | undefined,
    private readonly fileMinRows: number,
  ) {
    this.mirror = files && new VectorFileMirror(files, databaseName, (...args) => this.recordFile(...args));
    this.tabs = new TabChannel(databaseName);
  }

  /** The connection; CLOSED once close() ran or another tab's upgrade took it. */
  private get db(): Database {
    if (this.closedBecause) throw createError('CLOSED', `the pagesense store is closed: ${this.closedBecause}`);
    return this.database;
  }

  shutDown(reason: string): void {
    this.closedBecause ??= reason;
    this.tabs.close();
  }

  private write<T>(action: string, body: (tx: WriteTx) => Promise<T>): Promise<T> {
    return writeTransaction(this.db, action, body);
  }

  private async record(tx: WriteTx | null, name: string): Promise<CollectionRecord> {
    const rec = tx ? await tx.objectStore('collections').get(name) : await this.db.get('collections', name);
    if (!rec) throw ERROR_MESSAGES.collectionNotFound(name);
    assertManifest(rec.manifest, `collection "${name}"`);
    return rec;
  }

  // The catalog

  async openCollection(name: string, spec: EmbeddingSpec, options: CollectionOptions = {}): Promise<CollectionManifest> {
    // Staging collections are made by beginRebuild only; they may be opened (to fill them), not created.
    if (name.includes(REBUILD_SUFFIX) && !(await this.db.get('collections', name))) {
      throw createError('INVALID_ARGUMENT', 'collection names may not contain control characters');
    }
    // An existing collection is only read: no write transaction (and no lock on the stores) to open it.
    const existing = await this.db.get('collections', name);
    if (existing) return checkExisting(existing.manifest, spec, options, name);
    return this.create(name, spec, false, options);
  }

  private async create(name: string, spec: EmbeddingSpec, fresh: boolean, options: CollectionOptions = {}): Promise<CollectionManifest> {
    const quantization = newQuantization(options);
    return this.write(`create collection "${name}"`, async (tx) => {
      const existing = await tx.objectStore('collections').get(name);
      if (existing && !fresh) return checkExisting(existing.manifest, spec, options, name);
      if (existing) await tx.objectStore('retired').put({ physical: existing.physical });
      const rec: CollectionRecord = {
        name,
        physical: `${name}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 10)}`,
        manifest: createManifest(name, spec, Date.now(), quantization),
        nextBlock: 0,
        deadRows: 0,
        version: 0,
      };
      await tx.objectStore('collections').put(rec);
      return rec.manifest;
    }).finally(() => this.noteCount());
  }

  private async noteCount(): Promise<void> {
    noteCollections(this.databaseName, (await this.listCollections().catch(() => [])).length);
  }

  async getManifest(name: string): Promise<CollectionManifest | undefined> {
    return (await this.db.get('collections', name))?.manifest;
  }

  async listCollections(): Promise<CollectionManifest[]> {
    return (await this.db.getAll('collections')).filter((r) => !r.name.includes(REBUILD_SUFFIX)).map((r) => r.manifest);
  }

  // Writes

  /** Runs a write with the collection's record and fresh id map; a failed write drops the map (it may hold half the batch). */
  private async mutate(
    name: string,
    action: string,
    body: (tx: WriteTx, rec: CollectionRecord, map: IdMap, sealed: SealedBlock[] | undefined) => Promise<CollectionManifest>,
  ): Promise<CollectionManifest> {
    let physical: string | undefined;
    try {
      let after = () => {};
      const manifest = await this.write(action, async (tx) => {
        const rec = await this.record(tx, name);
        physical = rec.physical;
        const fileBlocks = rec.fileBlocks ?? 0;
        // Float blocks this transaction seals, for the vector file once it commits.
        const sealed: SealedBlock[] | undefined = this.mirror ? [] : undefined;
        after = () => sealed && this.mirror?.copySealed(name, rec.physical, fileBlocks, sealed);
        return body(tx, rec, await this.idMaps.get(this.db, rec, tx), sealed);
      });
      after();
      this.tabs.announce(name);
      return manifest;
    } catch (err) {
      if (physical) this.idMaps.invalidate(physical);
      throw err;
    }
  }

  append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    return this.mutate(name, `write ${docs.length} documents to "${name}"`, async (tx, rec, map, sealed) => {
      checkBatch(rec, docs, vectors);
      await writeRows(tx, rec, map, docs, vectors, sealed);
      return finishWrite(tx, rec, map, docs.length);
    });
  }

  upsert(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    return this.mutate(name, `upsert ${docs.length} documents into "${name}"`, async (tx, rec, map, sealed) => {
      checkBatch(rec, docs, vectors);
      const replaced = await tombstone(
        tx,
        rec,
        map,
        docs.map((d) => d.id),
      );
      await writeRows(tx, rec, map, docs, vectors, sealed);
      return finishWrite(tx, rec, map, docs.length - replaced);
    });
  }

  delete(name: string, ids: readonly string[]): Promise<CollectionManifest> {
    return this.mutate(name, `delete ${ids.length} documents from "${name}"`, async (tx, rec, map) => {
      const removed = await tombstone(tx, rec, map, ids);
      return finishWrite(tx, rec, map, -removed);
    });
  }

  // Reads

  private read(name: string, options: BlockReadOptions): Promise<BlockRead> {
    return readBlocks(
      {
        db: this.db,
        mirror: this.mirror,
        fileMinRows: this.fileMinRows,
        saw: (rec, slots, blocks) => {
          this.idMaps.noteSlots(rec, slots);
          this.lookups.noteBlocks(rec, blocks);
        },
      },
      name,
      options,
    );
  }

  async readVectors(name: string, options: ReadVectorsOptions = {}): Promise<VectorReader> {
    const { manifest, rows, snapshot, blocks } = await this.read(name, options.codes ? { codes: true } : {});
    return { manifest, rows, snapshot, blocks };
  }

  loadInto(name: string, sink: RowSink, options: ReadVectorsOptions = {}): Promise<{ manifest: CollectionManifest; snapshot: string }> {
    return loadInto((o) => this.read(name, o), sink, !!options.codes);
  }

  async loadVectors(name: string): Promise<LoadedVectors> {
    const reader = await this.readVectors(name);
    const dim = reader.manifest.dimension;
    const vectors = new Float32Array(reader.rows * dim);
    const ids: string[] = [];
    for await (const b of reader.blocks) {
      if (!('vectors' in b)) throw createError('CORRUPT_INDEX', `collection "${name}": codes where float rows were asked for`);
      vectors.set(b.vectors, ids.length * dim);
      for (const id of b.ids) ids.push(id);
    }
    return { ids, vectors };
  }

  async getVectors(name: string, ids: readonly string[], hints?: RowHints): Promise<Float32Array> {
    return this.lookups.getVectors(this.db, await this.record(null, name), ids, hints);
  }

  async getDocuments(name: string, ids: readonly string[], hints?: RowHints): Promise<(StoredDocument | undefined)[]> {
    return this.lookups.getDocuments(this.db, await this.record(null, name), ids, hints);
  }

  async hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]> {
    const map = await this.idMaps.get(this.db, await this.record(null, name), null);
    return ids.map((id) => map.rows.has(id));
  }

  // The vector file's bookkeeping

  /**
   * Records that the vector file now holds full blocks [0, count), with `probes`
   * for blocks [from, count): only if the record already counted at least `from`
   * of them (the blocks this copy did not write) and fewer than `count`. `reset`
   * instead lowers the count to `count`.
   * Found by physical id, under the name or, for a rebuild switched in meanwhile,
   * the live name.
   */
  private async recordFile(name: string, physical: string, count: number, from: number | 'reset', probes: readonly BlockProbe[] = []): Promise<void> {
    await this.write(`record the vector file of "${name}"`, async (tx) => {
      const store = tx.objectStore('collections');
      let rec = await store.get(name);
      if (rec?.physical !== physical && name.endsWith(REBUILD_SUFFIX)) rec = await store.get(name.slice(0, -REBUILD_SUFFIX.length));
      if (!rec || rec.physical !== physical) return;
      const have = rec.fileBlocks ?? 0;
      if (from === 'reset' ? have <= count : have < from || have >= count) return;
      rec.fileBlocks = count;
      rec.fileProbes = from === 'reset' ? (rec.fileProbes ?? []).slice(0, count) : [...(rec.fileProbes ?? []).slice(0, from), ...probes];
      await store.put(rec);
    });
  }

  // Removal and rebuilds

  async clear(name: string): Promise<void> {
    await this.write(`clear collection "${name}"`, async (tx) => {
      const rec = await tx.objectStore('collections').get(name);
      if (!rec) return;
      await tx.objectStore('collections').delete(name);
      await tx.objectStore('retired').put({ physical: rec.physical });
    });
    this.tabs.announce(name);
    await this.noteCount();
    await this.purgeRetired();
  }

  getDerived(name: string, key: string): Promise<DerivedRead | undefined> {
    return readDerived(this.db, name, key).catch((err) => Promise.reject(storageError(err, `read the ${key} index of "${name}"`)));
  }

  putDerived(name: string, key: string, stamp: string, value: string): Promise<boolean> {
    return writeDerived(this.db, name, key, stamp, value);
  }

  /** Deletes the data of retired physical ids (after a switch, a clear, or a crash between the two). */
  async purgeRetired(): Promise<void> {
    const retired = await this.db.getAll('retired');
    for (const { physical } of retired) {
      await this.write(`delete retired data of ${physical}`, async (tx) => {
        await tx.objectStore('blocks').delete(physicalRange(physical));
        await tx.objectStore('slots').delete(physicalRange(physical));
        await tx.objectStore('docs').delete(physicalRange(physical));
        await tx.objectStore('segments').delete(physicalRange(physical));
        await tx.objectStore('derived').delete(physicalRange(physical));
        await tx.objectStore('retired').delete(physical);
      });
      this.idMaps.drop(physical);
      this.lookups.drop(physical);
      this.mirror?.retire(physical);
    }
    this.mirror?.sweepOnce(async () => (await this.db.getAll('collections')).map((r) => r.physical));
  }

  beginRebuild(name: string, spec: EmbeddingSpec, options: CollectionOptions = {}): Promise<string> {
    return this.rebuilds.begin(name, spec, options);
  }

  commitRebuild(name: string): Promise<CollectionManifest> {
    return this.rebuilds.commit(name);
  }

  abortRebuild(name: string): Promise<void> {
    return this.rebuilds.abort(name);
  }

  async compact(name: string, options: { minDeadFraction?: number } = {}): Promise<CollectionManifest | null> {
    const rec = await this.record(null, name);
    return this.rebuilds.compact(rec, options.minDeadFraction ?? 0);
  }

  async exportCollection(name: string): Promise<Uint8Array> {
    return this.rebuilds.exportFile(await this.record(null, name));
  }

  importCollection(name: string, file: Uint8Array): Promise<CollectionManifest> {
    return this.rebuilds.importFile(name, file);
  }

  // Lifetime

  onExternalChange(listener: (collection: string) => void): () => void {
    return this.tabs.listen(listener);
  }

  async whenIdle(): Promise<void> {
    await this.mirror?.whenIdle();
  }

  close(): void {
    if (this.closedBecause) return;
    this.shutDown('close() was called');
    this.database.close();
    this.mirror?.close();
  }
}
