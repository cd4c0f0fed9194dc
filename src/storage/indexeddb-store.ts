// VectorStore over IndexedDB (idb).
//
// Layout. A collection's logical name maps to a physical id; everything else is
// keyed by the physical id. Rows live in blocks of up to BLOCK_ROWS: one record
// with the block's vectors (a Blob once full; see block-records.ts), one with its
// row ids, and the documents in chunks of DOC_CHUNK rows. So writing or opening a
// 100k-passage collection is a few hundred records, not 100k, and fetching a
// result's text reads one small chunk. New rows fill the last block first.
// Replaced or deleted rows become tombstones (null) until a compaction rewrites
// the collection. An id -> row map is built when first needed, stamped with the
// collection's write version so a write from another tab forces a rebuild. A
// blue-green rebuild (reindex, import, compaction) fills a second physical id and
// switches the name over in one transaction; the old physical id is then
// "retired" and deleted. Full float blocks are also copied to a vector file in
// OPFS (vector-file.ts), counted in the collection record once flushed, with a
// probe per block (block-probe.ts): opens read them from there in one go.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { createError, isPagesenseError } from '../core/errors.ts';
import { decodeIndexFile, encodeIndexFile } from '../core/index-file.ts';
import { assertCompatible, assertManifest, createManifest, pickSpec, type CollectionManifest, type EmbeddingSpec } from '../core/manifest.ts';
import { calibrateRanges, quantizeRows, type Ranges } from '../core/quantization.ts';
import { assertVectors } from '../core/vectors.ts';
import { blockBytes, blockRange, mergeSegments, openBlockBytes, physicalRange, readBlock, type BlockRecord, type SegmentRecord } from './block-records.ts';
import { blockProbe, type BlockProbe } from './block-probe.ts';
import { RowCache } from './row-cache.ts';
import { openVectorFiles, type VectorFiles } from './vector-file.ts';
import { VectorFileMirror, type SealedBlock } from './vector-file-mirror.ts';
import { RowMap, type RowPosition } from './row-map.ts';
import type {
  CollectionOptions,
  RowHints,
  DocumentInput,
  LoadedVectors,
  ReadVectorsOptions,
  StoredDocument,
  VectorBlock,
  VectorReader,
  VectorStore,
} from './vector-store.ts';

export const BLOCK_ROWS = 2048;
export const DOC_CHUNK = 128;
const CHUNKS_PER_BLOCK = BLOCK_ROWS / DOC_CHUNK;
// 1: collections, blocks, slots, docs, retired. 2: segments (appends to the open block).
const DB_VERSION = 2;
const REBUILD_SUFFIX = '\u0001rebuild';
/** Blocks whose bytes are being fetched while the consumer copies earlier ones. */
const READ_AHEAD = 4;
/** Blocks per read from a vector file on pages without shared memory: 8 x 384-d blocks = 24 MB. */
const FILE_CHUNK_BLOCKS = 8;
/** Float rows kept for re-ranking: 16 MB is about 10k rows of 384 dimensions. */
const ROW_CACHE_BYTES = 16 * 1024 * 1024;

interface CollectionRecord {
  name: string;
  physical: string;
  manifest: CollectionManifest;
  nextBlock: number;
  deadRows: number;
  /** Leading full blocks whose float32 bytes are in this collection's vector file (see vector-file.ts). */
  fileBlocks?: number;
  /** Their probes (block-probe.ts), checked against what an open reads from the file. */
  fileProbes?: BlockProbe[];
  /** Incremented by every write; stamps the in-memory id map. */
  version: number;
}

interface SlotsRecord {
  collection: string;
  block: number;
  ids: (string | null)[];
}

type DocumentBody = Omit<StoredDocument, 'collection'>;

interface DocChunkRecord {
  collection: string;
  chunk: number; // block * CHUNKS_PER_BLOCK + slot / DOC_CHUNK
  docs: (DocumentBody | null)[];
}

interface PagesenseDB extends DBSchema {
  collections: { key: string; value: CollectionRecord };
  blocks: { key: [string, number]; value: BlockRecord };
  slots: { key: [string, number]; value: SlotsRecord };
  docs: { key: [string, number]; value: DocChunkRecord };
  retired: { key: string; value: { physical: string } };
  segments: { key: [string, number, number]; value: SegmentRecord };
}

const STORES = ['collections', 'blocks', 'slots', 'docs', 'retired', 'segments'] as const;
type WriteTx = IDBPTransaction<PagesenseDB, (typeof STORES)[number][], 'readwrite'>;

interface IdMap {
  version: number;
  rows: RowMap;
}

export interface IndexedDBStoreOptions {
  /** Database name. Default 'pagesense'. */
  databaseName?: string;
  /** Called when another tab needs a newer schema; this connection closes itself first so that tab is not blocked. */
  onVersionChange?: () => void;
  /**
   * Also keep each float32 collection's full blocks in one file in the Origin
   * Private File System, which a worker reads in one go: straight into the search
   * index's shared memory on cross-origin isolated pages (100k x 384 opens in about
   * 0.6 of the time), as one handed-over buffer elsewhere (about 0.8). Costs the
   * vector bytes a second time on disk. IndexedDB stays the record: blocks are copied
   * in the background after the commit that sealed them (or by an open that found
   * them missing), and a missing, locked or damaged file just means the blocks are
   * read from IndexedDB. Needs OPFS and module workers; int8 collections do not use
   * it. Default true.
   */
  vectorFiles?: boolean | VectorFileOptions;
}

export interface VectorFileOptions {
  /**
   * Collections with fewer rows open from IndexedDB even when their file is there:
   * below about 16k rows reading a few blocks is as fast as starting the file's
   * worker (~15 ms). Their blocks are still copied, ready for when they grow.
   * Default 16384.
   */
  minRows?: number;
}

export async function openIndexedDBStore(options: IndexedDBStoreOptions = {}): Promise<VectorStore> {
  const name = options.databaseName ?? 'pagesense';
  let db: IDBPDatabase<PagesenseDB>;
  // eslint-disable-next-line prefer-const -- blocking() below reads it; it is assigned once openDB resolves
  let store: IndexedDBStore | undefined;
  try {
    db = await openDB<PagesenseDB>(name, DB_VERSION, {
      upgrade(upgradeDb, oldVersion) {
        if (oldVersion < 1) {
          upgradeDb.createObjectStore('collections', { keyPath: 'name' });
          upgradeDb.createObjectStore('blocks', { keyPath: ['collection', 'block'] });
          upgradeDb.createObjectStore('slots', { keyPath: ['collection', 'block'] });
          upgradeDb.createObjectStore('docs', { keyPath: ['collection', 'chunk'] });
          upgradeDb.createObjectStore('retired', { keyPath: 'physical' });
        }
        // Version 1 data reads as it is: an open block without segments is just its base record.
        if (oldVersion < 2) upgradeDb.createObjectStore('segments', { keyPath: ['collection', 'block', 'first'] });
      },
      blocking() {
        store?.shutDown('another tab opened this database with a newer version of the page; reload this page to keep using it');
        db.close();
        options.onVersionChange?.();
      },
    });
  } catch (err) {
    throw storageError(err, `open database "${name}"`);
  }
  const files = options.vectorFiles === false ? undefined : openVectorFiles();
  store = new IndexedDBStore(db, name, files, (typeof options.vectorFiles === 'object' ? options.vectorFiles.minRows : undefined) ?? 16_384);
  await store.purgeRetired();
  return store;
}

function storageError(err: unknown, action: string) {
  if (isPagesenseError(err)) return err;
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'QuotaExceededError') {
    return createError(
      'QUOTA_EXCEEDED',
      `Storage quota exceeded while trying to ${action}; nothing from this operation was saved. Free space or clear a collection.`,
      undefined,
      err,
    );
  }
  if (e?.name === 'ConstraintError') {
    return createError(
      'DUPLICATE_ID',
      `a document id is already in the collection (while trying to ${action}); nothing from this batch was saved. Use upsert to replace documents.`,
      undefined,
      err,
    );
  }
  return createError('STORAGE_FAILED', `IndexedDB failed to ${action}: ${e?.name ?? ''} ${e?.message ?? String(err)}`, undefined, err);
}

class IndexedDBStore implements VectorStore {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(collection: string) => void>();
  private readonly idMaps = new Map<string, IdMap>(); // by physical id
  /** The slots the last read saw, so the id map can be built when first needed (a write, a lookup by id), not at open. */
  private readonly slotSnapshots = new Map<string, { version: number; slots: SlotsRecord[] }>();
  /** The last read's float row sources per block (Blob handles, the open block's bytes), for re-ranking reads; by physical id. */
  private readonly rowSources = new Map<string, { version: number; blocks: Map<number, Blob | ArrayBuffer> }>();
  private readonly rowCache = new RowCache(ROW_CACHE_BYTES);

  private closedBecause: string | undefined;

  /** Float blocks a write transaction sealed, for the vector file once it commits. */
  private readonly sealedBy = new WeakMap<WriteTx, SealedBlock[]>();

  private readonly mirror: VectorFileMirror | undefined;

  constructor(
    private readonly database: IDBPDatabase<PagesenseDB>,
    databaseName: string,
    files: VectorFiles | undefined,
    private readonly fileMinRows: number,
  ) {
    this.mirror = files && new VectorFileMirror(files, databaseName, (...args) => this.recordFile(...args));
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`pagesense:${databaseName}`) : null;
    this.channel?.addEventListener('message', (e: MessageEvent<{ collection?: unknown }>) => {
      if (typeof e.data?.collection === 'string') for (const l of this.listeners) l(e.data.collection);
    });
  }

  /** The connection; CLOSED once close() ran or another tab's upgrade took it. */
  private get db(): IDBPDatabase<PagesenseDB> {
    if (this.closedBecause) throw createError('CLOSED', `the pagesense store is closed: ${this.closedBecause}`);
    return this.database;
  }

  shutDown(reason: string): void {
    this.closedBecause ??= reason;
    this.channel?.close();
  }

  private announce(collection: string): void {
    if (!this.closedBecause) this.channel?.postMessage({ collection });
  }

  /** Runs `body` in one read-write transaction; any failure aborts it whole. */
  private async write<T>(action: string, body: (tx: WriteTx) => Promise<T>): Promise<T> {
    const tx = this.db.transaction([...STORES], 'readwrite');
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
    if (!rec) throw createError('NOT_FOUND', `collection "${name}" does not exist; open it first`);
    assertManifest(rec.manifest, `collection "${name}"`);
    return rec;
  }

  async openCollection(name: string, spec: EmbeddingSpec, options: CollectionOptions = {}): Promise<CollectionManifest> {
    // Staging collections are made by beginRebuild only; they may be opened (to fill them), not created.
    if (name.includes(REBUILD_SUFFIX) && !(await this.db.get('collections', name))) {
      throw createError('INVALID_ARGUMENT', 'collection names may not contain control characters');
    }
    // An existing collection is only read: no write transaction (and no lock on the stores) to open it.
    const existing = await this.db.get('collections', name);
    if (existing) return checkExisting(existing, spec, options, name);
    return this.create(name, spec, false, options);
  }

  private async create(name: string, spec: EmbeddingSpec, fresh: boolean, options: CollectionOptions = {}): Promise<CollectionManifest> {
    const quantization = options.quantization ?? 'none';
    if (quantization !== 'none' && quantization !== 'int8')
      throw createError('INVALID_ARGUMENT', `quantization must be "none" or "int8", got ${JSON.stringify(quantization)}`);
    return this.write(`create collection "${name}"`, async (tx) => {
      const existing = await tx.objectStore('collections').get(name);
      if (existing && !fresh) return checkExisting(existing, spec, options, name);
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
      if (seen.has(d.id)) throw createError('DUPLICATE_ID', `document id "${d.id}" appears twice in one batch`);
      seen.add(d.id);
    }
  }

  /** The id -> row map of a collection, rebuilt from its slots when another writer moved its version on. */
  private async idMap(rec: CollectionRecord, tx: WriteTx | null): Promise<IdMap> {
    const cached = this.idMaps.get(rec.physical);
    if (cached && cached.version === rec.version) return cached;
    const snapshot = this.slotSnapshots.get(rec.physical);
    this.slotSnapshots.delete(rec.physical);
    const range = physicalRange(rec.physical);
    const all = snapshot?.version === rec.version ? snapshot.slots : tx ? await tx.objectStore('slots').getAll(range) : await this.db.getAll('slots', range);
    const rows = new RowMap(BLOCK_ROWS);
    let live = 0;
    for (const s of all) s.ids.forEach((id, slot) => id !== null && (live++, rows.set(id, s.block, slot)));
    if (rows.size !== live) throw createError('CORRUPT_INDEX', `collection "${rec.name}": ${live} rows but ${rows.size} distinct ids`);
    const map = { version: rec.version, rows };
    this.idMaps.set(rec.physical, map);
    return map;
  }

  /** Appends rows, filling the last block (and its last document chunk) before starting new ones. */
  private async writeRows(tx: WriteTx, rec: CollectionRecord, map: IdMap, docs: readonly DocumentInput[], vectors: Float32Array): Promise<void> {
    const dim = rec.manifest.dimension;
    const writes: Promise<unknown>[] = [];
    // If the batch fails midway, the abort rejects requests nobody awaits yet: mark them handled.
    const track = (p: Promise<unknown>) => {
      p.catch(() => undefined);
      writes.push(p);
    };
    for (const d of docs) {
      if (map.rows.has(d.id))
        throw createError(
          'DUPLICATE_ID',
          `document "${d.id}" is already in collection "${rec.name}"; nothing from this batch was saved. Use upsert to replace documents.`,
        );
    }
    let i = 0;
    let block = rec.nextBlock - 1;
    let slots: SlotsRecord | undefined = block >= 0 ? await tx.objectStore('slots').get([rec.physical, block]) : undefined;
    if (slots && slots.ids.length >= BLOCK_ROWS) slots = undefined;
    while (i < docs.length) {
      const fresh = !slots;
      if (!slots) {
        block = rec.nextBlock++;
        slots = { collection: rec.physical, block, ids: [] };
      }
      const start = slots.ids.length;
      const take = Math.min(BLOCK_ROWS - start, docs.length - i);
      const rows = vectors.subarray(i * dim, (i + take) * dim);
      // Document chunks touched by slots start .. start + take - 1; the first may already hold rows.
      for (let c = Math.floor(start / DOC_CHUNK); c * DOC_CHUNK < start + take; c++) {
        const key = block * CHUNKS_PER_BLOCK + c;
        const chunk =
          c * DOC_CHUNK < start
            ? ((await tx.objectStore('docs').get([rec.physical, key])) ?? { collection: rec.physical, chunk: key, docs: [] })
            : { collection: rec.physical, chunk: key, docs: [] };
        const from = Math.max(start, c * DOC_CHUNK);
        const to = Math.min(start + take, (c + 1) * DOC_CHUNK);
        for (let s = from; s < to; s++) chunk.docs[s - c * DOC_CHUNK] = toBody(docs[i + s - start]!);
        track(tx.objectStore('docs').put(chunk));
      }
      for (let j = 0; j < take; j++) {
        const id = docs[i + j]!.id;
        slots.ids.push(id);
        map.rows.set(id, block, start + j);
      }
      track(tx.objectStore('slots').put(slots));
      if (start + take < BLOCK_ROWS) {
        // Still open: the first batch is the block's base record, later ones are segments.
        const bytes = rows.slice().buffer;
        if (fresh) track(tx.objectStore('blocks').put({ collection: rec.physical, block, vectors: bytes }));
        else track(tx.objectStore('segments').put({ collection: rec.physical, block, first: start, vectors: bytes }));
      } else {
        // Full: one sealed Blob (plus int8 codes) replaces the base and its segments.
        const merged = new Float32Array(BLOCK_ROWS * dim);
        if (!fresh) {
          const before = await openBlockBytes(tx.objectStore('blocks'), tx.objectStore('segments'), rec.physical, block);
          if (before.byteLength !== start * dim * 4)
            throw createError('CORRUPT_INDEX', `collection "${rec.name}": open block ${block} holds ${before.byteLength} bytes for ${start} rows`);
          merged.set(new Float32Array(before));
          track(tx.objectStore('segments').delete(blockRange(rec.physical, block)));
        }
        merged.set(rows, start * dim);
        const record: BlockRecord = { collection: rec.physical, block, vectors: new Blob([merged.buffer]) };
        if (rec.manifest.quantization === 'int8') record.codes = new Blob([this.sealCodes(rec, merged)]);
        else if (this.mirror) this.sealedBy.set(tx, [...(this.sealedBy.get(tx) ?? []), { block, bytes: merged.buffer, probe: blockProbe(merged, dim) }]); // the Blob holds its own copy
        track(tx.objectStore('blocks').put(record));
      }
      i += take;
      slots = undefined;
    }
    await Promise.all(writes);
  }

  /** int8 codes of a full block; the collection's first full block also fixes its ranges. */
  private sealCodes(rec: CollectionRecord, rows: Float32Array): Int8Array<ArrayBuffer> {
    const dim = rec.manifest.dimension;
    if (!rec.manifest.ranges) {
      const r = calibrateRanges(rows, dim);
      rec.manifest = { ...rec.manifest, ranges: { min: Array.from(r.min), max: Array.from(r.max) } };
    }
    return quantizeRows(rows, dim, 'int8', toRanges(rec.manifest.ranges!)) as Int8Array<ArrayBuffer>;
  }

  /** Turns the rows of existing ids into tombstones; returns how many existed. */
  private async tombstone(tx: WriteTx, rec: CollectionRecord, map: IdMap, ids: readonly string[]): Promise<number> {
    const byBlock = new Map<number, number[]>();
    let found = 0;
    for (const id of new Set(ids)) {
      const at = map.rows.get(id);
      if (!at) continue;
      byBlock.set(at.block, [...(byBlock.get(at.block) ?? []), at.slot]);
      map.rows.delete(id);
      found++;
    }
    for (const [b, slotList] of byBlock) {
      const slots = await tx.objectStore('slots').get([rec.physical, b]);
      if (!slots) throw createError('CORRUPT_INDEX', `collection "${rec.name}": block ${b} is missing`);
      const chunks = new Map<number, DocChunkRecord>();
      for (const s of slotList) {
        slots.ids[s] = null;
        const key = b * CHUNKS_PER_BLOCK + Math.floor(s / DOC_CHUNK);
        let chunk = chunks.get(key);
        if (!chunk) {
          chunk = await tx.objectStore('docs').get([rec.physical, key]);
          if (!chunk) throw createError('CORRUPT_INDEX', `collection "${rec.name}": document chunk ${key} is missing`);
          chunks.set(key, chunk);
        }
        chunk.docs[s % DOC_CHUNK] = null;
      }
      await tx.objectStore('slots').put(slots);
      for (const c of chunks.values()) await tx.objectStore('docs').put(c);
    }
    rec.deadRows += found;
    return found;
  }

  private async finishWrite(tx: WriteTx, rec: CollectionRecord, map: IdMap, delta: number): Promise<CollectionManifest> {
    rec.manifest = {
      ...rec.manifest,
      documentCount: rec.manifest.documentCount + delta,
      vectorCount: rec.manifest.vectorCount + delta,
      updatedAt: Date.now(),
    };
    rec.version++;
    map.version = rec.version;
    await tx.objectStore('collections').put(rec);
    return rec.manifest;
  }

  /** Runs a write with the collection's record and fresh id map; a failed write drops the map (it may hold half the batch). */
  private async mutate(
    name: string,
    action: string,
    body: (tx: WriteTx, rec: CollectionRecord, map: IdMap) => Promise<CollectionManifest>,
  ): Promise<CollectionManifest> {
    let physical: string | undefined;
    try {
      let after = () => {};
      const manifest = await this.write(action, async (tx) => {
        const rec = await this.record(tx, name);
        physical = rec.physical;
        const fileBlocks = rec.fileBlocks ?? 0;
        after = () => this.mirror?.copySealed(name, rec.physical, fileBlocks, this.sealedBy.get(tx) ?? []);
        return body(tx, rec, await this.idMap(rec, tx));
      });
      after();
      this.announce(name);
      return manifest;
    } catch (err) {
      if (physical) this.idMaps.delete(physical);
      throw err;
    }
  }

  append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    return this.mutate(name, `write ${docs.length} documents to "${name}"`, async (tx, rec, map) => {
      this.checkBatch(rec, docs, vectors);
      await this.writeRows(tx, rec, map, docs, vectors);
      return this.finishWrite(tx, rec, map, docs.length);
    });
  }

  upsert(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest> {
    return this.mutate(name, `upsert ${docs.length} documents into "${name}"`, async (tx, rec, map) => {
      this.checkBatch(rec, docs, vectors);
      const replaced = await this.tombstone(
        tx,
        rec,
        map,
        docs.map((d) => d.id),
      );
      await this.writeRows(tx, rec, map, docs, vectors);
      return this.finishWrite(tx, rec, map, docs.length - replaced);
    });
  }

  delete(name: string, ids: readonly string[]): Promise<CollectionManifest> {
    return this.mutate(name, `delete ${ids.length} documents from "${name}"`, async (tx, rec, map) => {
      const removed = await this.tombstone(tx, rec, map, ids);
      return this.finishWrite(tx, rec, map, -removed);
    });
  }

  async readVectors(name: string, options: ReadVectorsOptions = {}): Promise<VectorReader> {
    const tx = this.db.transaction(['collections', 'blocks', 'slots', 'segments'], 'readonly');
    const rec = await tx.objectStore('collections').get(name);
    if (!rec) throw createError('NOT_FOUND', `collection "${name}" does not exist; open it first`);
    assertManifest(rec.manifest, `collection "${name}"`);
    // The vector file: float collections opened by a search index use it and copy into it.
    const mirror = options.mirror && rec.manifest.quantization === 'none' ? this.mirror : undefined;
    const fileWorthIt = rec.manifest.vectorCount >= this.fileMinRows;
    const fullBlockBytes = BLOCK_ROWS * rec.manifest.dimension * 4;
    const held = Math.min(rec.fileBlocks ?? 0, rec.fileProbes?.length ?? 0); // the blocks the file holds, by the record
    // Its read starts now, beside the records' (the blocks it holds are sealed: they never change under it).
    let early: { buffer: SharedArrayBuffer; byteOffset: number; blocks: number; read: Promise<boolean> } | undefined;
    if (mirror && fileWorthIt && held > 0) {
      const target = options.fileTarget?.(held * BLOCK_ROWS, rec.manifest.vectorCount + rec.deadRows);
      if (target)
        early = {
          ...target,
          blocks: held,
          read: mirror.readShared(rec.physical, target.buffer, target.byteOffset, rec.fileProbes!.slice(0, held), fullBlockBytes, rec.manifest.dimension),
        };
      else mirror.warm(); // the file's reader boots while the records below are read
    }
    const range = physicalRange(rec.physical);
    // Sealed blocks come back as Blob handles (no bytes yet); the bytes are read below, a few blocks ahead of the consumer.
    const [blocks, slots, segments] = await Promise.all([
      tx.objectStore('blocks').getAll(range),
      tx.objectStore('slots').getAll(range),
      tx.objectStore('segments').getAll(range),
    ]);
    await tx.done;
    mergeSegments(blocks, segments, name);
    const dim = rec.manifest.dimension;
    if (blocks.length !== slots.length)
      throw createError('CORRUPT_INDEX', `collection "${name}": ${blocks.length} vector blocks but ${slots.length} id blocks`);
    // Which blocks are read as int8 codes (a quarter of the bytes) instead of float32 rows.
    const useCodes = blocks.map((b) => !!options.codes && rec.manifest.quantization === 'int8' && !!rec.manifest.ranges && b.codes !== undefined);
    let live = 0;
    blocks.forEach((b, i) => {
      const s = slots[i]!;
      const bytes = blockBytes(b.vectors);
      // Codes are checked only when they are what gets read: damaged codes never stand in the way of the float rows (export, rebuild).
      const codeBytes = useCodes[i] ? blockBytes(b.codes) : 0;
      if (s.block !== b.block || !Array.isArray(s.ids) || bytes !== s.ids.length * dim * 4 || (useCodes[i] && codeBytes !== s.ids.length * dim)) {
        throw createError(
          'CORRUPT_INDEX',
          `collection "${name}": block ${b.block} holds ${bytes} bytes (codes ${codeBytes}) for ${s.ids?.length} rows of dimension ${dim}`,
        );
      }
      for (const id of s.ids) if (id !== null) live++;
    });
    if (live !== rec.manifest.vectorCount) {
      throw createError('CORRUPT_INDEX', `collection "${name}": the manifest counts ${rec.manifest.vectorCount} vectors, the blocks hold ${live}`);
    }
    // Opening needs no id -> row map (results come with row positions); it is built from these slots on the first lookup by id.
    if (this.idMaps.get(rec.physical)?.version !== rec.version) this.slotSnapshots.set(rec.physical, { version: rec.version, slots });
    this.rowSources.set(rec.physical, { version: rec.version, blocks: new Map(blocks.map((b) => [b.block, b.vectors])) });
    // The vector file holds the leading full float blocks; an open reads them from there and copies in the ones it fetched past them.
    const claimed = Math.min(held, sealedPrefix(blocks));
    const fileBlocks = mirror && fileWorthIt ? claimed : 0; // the blocks this read takes from the file
    const fileProbes = (rec.fileProbes ?? []).slice(0, fileBlocks);
    if (early && early.blocks !== fileBlocks) {
      await early.read; // records that disagree: read the blocks instead, once nothing is writing into the target any more
      early = undefined;
    }
    const start = (pending: (Promise<ArrayBuffer> | null)[], i: number) => {
      if (i < blocks.length && !pending[i]) {
        const p = readBlock(useCodes[i] ? blocks[i]!.codes! : blocks[i]!.vectors, name, blocks[i]!.block);
        p.catch(() => undefined); // rejections surface when the consumer reaches this block
        pending[i] = p;
      }
    };
    // One block as the consumer gets it: its live rows only.
    const toBlock = (i: number, buf: ArrayBuffer, byteOffset?: number): VectorBlock => {
      const blockIds = slots[i]!.ids;
      const width = useCodes[i] ? 1 : 4;
      // A block record holds exactly its rows; a slice of the file at least them.
      if (byteOffset === undefined ? buf.byteLength !== blockIds.length * dim * width : buf.byteLength - byteOffset < blockIds.length * dim * width) {
        throw createError('CORRUPT_INDEX', `collection "${name}": block ${blocks[i]!.block} read back ${buf.byteLength} bytes for ${blockIds.length} rows`);
      }
      const data = useCodes[i] ? new Int8Array(buf, byteOffset ?? 0, blockIds.length * dim) : new Float32Array(buf, byteOffset ?? 0, blockIds.length * dim);
      const { ids, positions, kept } = liveRows(blockIds, blocks[i]!.block);
      let rows = data;
      if (kept) {
        rows = data instanceof Int8Array ? new Int8Array(kept.length * dim) : new Float32Array(kept.length * dim);
        kept.forEach((slot, j) => rows.set(data.subarray(slot * dim, slot * dim + dim), j * dim));
      }
      return rows instanceof Int8Array ? { ids, positions, codes: rows } : { ids, positions, vectors: rows };
    };
    const fromBlocks = async function* (from: number, pending = blocks.map(() => null as Promise<ArrayBuffer> | null)): AsyncGenerator<VectorBlock> {
      // From `from` when the file was passed over (damaged, missing); past what it holds when it was not worth reading.
      const copy = mirror?.copyOnRead(name, rec.physical, fileWorthIt ? from : Math.max(from, claimed), claimed, sealedPrefix(blocks), fullBlockBytes, dim);
      for (let i = from; i < from + READ_AHEAD; i++) start(pending, i);
      for (let i = from; i < blocks.length; i++) {
        start(pending, i + READ_AHEAD);
        const buf = await pending[i]!;
        pending[i] = null;
        yield toBlock(i, buf);
        copy?.block(i, buf); // the consumer is done with this block's buffer: hand it to the file
      }
      copy?.finish();
    };
    // An open's read with no target for the file (a page without shared memory): the file's blocks in chunks the worker reads one ahead
    // (a few tens of MB held at a time, not the whole file), then the rest from IndexedDB, fetched meanwhile.
    const fromFileThenBlocks = async function* (): AsyncGenerator<VectorBlock> {
      const pending = blocks.map(() => null as Promise<ArrayBuffer> | null);
      for (let i = fileBlocks; i < fileBlocks + READ_AHEAD; i++) start(pending, i);
      const chunk = (first: number) => mirror!.readCopy(rec.physical, first, fileProbes.slice(first, first + FILE_CHUNK_BLOCKS), fullBlockBytes, dim);
      let ahead = chunk(0);
      for (let first = 0; first < fileBlocks; first += FILE_CHUNK_BLOCKS) {
        const { bytes, intact } = await ahead;
        const size = Math.min(FILE_CHUNK_BLOCKS, fileBlocks - first);
        if (first + size < fileBlocks) ahead = chunk(first + size);
        for (let j = 0; j < intact; j++) yield toBlock(first + j, bytes, j * fullBlockBytes);
        if (intact < size) {
          yield* fromBlocks(first + intact, pending); // from the first block the file lost, copying them to it again
          return;
        }
      }
      yield* fromBlocks(fileBlocks, pending);
    };

    // The read into the consumer's target: once it is done, its dead rows are packed out.
    const started = early;
    const file = started
      ? {
          blocks: fileBlocks,
          read: async () => {
            if (!(await started.read)) return undefined;
            const byteOffset = started.byteOffset;
            const bytes = new Uint8Array(started.buffer);
            const rowBytes = dim * 4;
            const ids: string[] = [];
            const positions: number[] = [];
            let to = byteOffset;
            for (let i = 0; i < fileBlocks; i++) {
              const live = liveRows(slots[i]!.ids, blocks[i]!.block);
              const from = byteOffset + i * fullBlockBytes;
              if (!live.kept) {
                if (to !== from) bytes.copyWithin(to, from, from + fullBlockBytes);
                to += fullBlockBytes;
              } else {
                for (const slot of live.kept) {
                  bytes.copyWithin(to, from + slot * rowBytes, from + (slot + 1) * rowBytes);
                  to += rowBytes;
                }
              }
              for (const id of live.ids) ids.push(id);
              for (const p of live.positions) positions.push(p);
            }
            return { rows: ids.length, ids, positions: Int32Array.from(positions) };
          },
        }
      : undefined;

    return {
      manifest: rec.manifest,
      rows: live,
      snapshot: rec.physical,
      blocks: fileBlocks > 0 && !file ? fromFileThenBlocks() : fromBlocks(0),
      blocksFrom: (first) => fromBlocks(first),
      ...(file ? { file } : {}),
    };
  }

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

  /**
   * Where each id's row is: from the hints when they come from a read of this same
   * physical collection (rows never move within one), else from the id map.
   */
  private async locate(rec: CollectionRecord, ids: readonly string[], hints: RowHints | undefined): Promise<(RowPosition | undefined)[]> {
    const usable = hints && hints.snapshot === rec.physical && hints.positions.length === ids.length ? hints.positions : undefined;
    const fromHint = (i: number): RowPosition | undefined => {
      const p = usable?.[i] ?? -1;
      return p >= 0 ? { block: Math.floor(p / BLOCK_ROWS), slot: p % BLOCK_ROWS } : undefined;
    };
    if (ids.every((_, i) => fromHint(i))) return ids.map((_, i) => fromHint(i));
    const map = await this.idMap(rec, null);
    return ids.map((id, i) => fromHint(i) ?? map.rows.get(id));
  }

  async getVectors(name: string, ids: readonly string[], hints?: RowHints): Promise<Float32Array> {
    const rec = await this.record(null, name);
    const dim = rec.manifest.dimension;
    const at = (await this.locate(rec, ids, hints)).map((loc, i) => {
      if (!loc) throw createError('NOT_FOUND', `document "${ids[i]}" is not in collection "${name}"`);
      return loc;
    });
    const out = new Float32Array(ids.length * dim);
    const misses: number[] = [];
    at.forEach(({ block, slot }, i) => {
      const row = this.rowCache.get(rec.physical, block * BLOCK_ROWS + slot);
      if (row && row.length === dim) out.set(row, i * dim);
      else misses.push(i);
    });
    if (misses.length === 0) return out;
    const cached = this.rowSources.get(rec.physical);
    let records = cached?.version === rec.version ? cached.blocks : undefined;
    if (!records) {
      const tx = this.db.transaction(['blocks', 'segments'], 'readonly');
      const wanted = [...new Set(misses.map((i) => at[i]!.block))];
      const got = await Promise.all(
        wanted.map(async (b) => {
          const r = await tx.objectStore('blocks').get([rec.physical, b]);
          if (!r) return [];
          const v = r.vectors instanceof ArrayBuffer ? await openBlockBytes(tx.objectStore('blocks'), tx.objectStore('segments'), rec.physical, b) : r.vectors;
          return [[b, v] as const];
        }),
      );
      records = new Map(got.flat());
      await tx.done;
    }
    // A Blob is read by slices: only the asked-for rows' bytes leave the disk.
    await Promise.all(
      misses.map(async (i) => {
        const { block, slot } = at[i]!;
        const v = records!.get(block);
        if (v === undefined || blockBytes(v) < (slot + 1) * dim * 4)
          throw createError('CORRUPT_INDEX', `collection "${name}": block ${block} is missing or short`);
        const bytes =
          v instanceof ArrayBuffer
            ? v.slice(slot * dim * 4, (slot + 1) * dim * 4)
            : await readBlock(v.slice(slot * dim * 4, (slot + 1) * dim * 4), name, block);
        const row = new Float32Array(bytes);
        this.rowCache.set(rec.physical, block * BLOCK_ROWS + slot, row);
        out.set(row, i * dim);
      }),
    );
    return out;
  }

  async getDocuments(name: string, ids: readonly string[], hints?: RowHints): Promise<(StoredDocument | undefined)[]> {
    const rec = await this.record(null, name);
    const where = await this.locate(rec, ids, hints);
    const keys = [...new Set(where.flatMap((at) => (at ? [at.block * CHUNKS_PER_BLOCK + Math.floor(at.slot / DOC_CHUNK)] : [])))];
    const tx = this.db.transaction('docs', 'readonly');
    const chunks = new Map((await Promise.all(keys.map((k) => tx.store.get([rec.physical, k])))).flatMap((c) => (c ? [[c.chunk, c] as const] : [])));
    await tx.done;
    return ids.map((id, i) => {
      const at = where[i];
      if (!at) return undefined;
      // Also catches a row deleted since the hint was taken: its document slot is empty.
      const doc = chunks.get(at.block * CHUNKS_PER_BLOCK + Math.floor(at.slot / DOC_CHUNK))?.docs[at.slot % DOC_CHUNK];
      return doc && doc.id === id ? { ...doc, collection: name } : undefined;
    });
  }

  async hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]> {
    const rec = await this.record(null, name);
    const map = await this.idMap(rec, null);
    return ids.map((id) => map.rows.has(id));
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
        await tx.objectStore('blocks').delete(physicalRange(physical));
        await tx.objectStore('slots').delete(physicalRange(physical));
        await tx.objectStore('docs').delete(physicalRange(physical));
        await tx.objectStore('segments').delete(physicalRange(physical));
        await tx.objectStore('retired').delete(physical);
      });
      this.idMaps.delete(physical);
      this.slotSnapshots.delete(physical);
      this.rowSources.delete(physical);
      this.rowCache.dropCollection(physical);
      this.mirror?.retire(physical);
    }
    this.mirror?.sweepOnce(async () => (await this.db.getAll('collections')).map((r) => r.physical));
  }

  async beginRebuild(name: string, spec: EmbeddingSpec, options: CollectionOptions = {}): Promise<string> {
    const staging = name + REBUILD_SUFFIX;
    const quantization = options.quantization ?? (await this.getManifest(name))?.quantization ?? 'none';
    await this.create(staging, spec, true, { quantization });
    await this.purgeRetired();
    return staging;
  }

  commitRebuild(name: string): Promise<CollectionManifest> {
    return this.switchToRebuild(name, undefined);
  }

  /** `expectVersion`: refuse (CONFLICT) when the live collection was written since that version, so no write is lost. */
  private async switchToRebuild(name: string, expectVersion: number | undefined): Promise<CollectionManifest> {
    const staging = name + REBUILD_SUFFIX;
    const manifest = await this.write(`switch collection "${name}" to its rebuild`, async (tx) => {
      const next = await this.record(tx, staging);
      const live = await tx.objectStore('collections').get(name);
      if (expectVersion !== undefined && live?.version !== expectVersion) {
        throw createError('CONFLICT', `collection "${name}" changed while it was being compacted; nothing was switched, try again`);
      }
      const createdAt = live?.manifest.createdAt ?? next.manifest.createdAt;
      const switched: CollectionRecord = { ...next, name, manifest: { ...next.manifest, name, createdAt, updatedAt: Date.now() } };
      await tx.objectStore('collections').put(switched);
      await tx.objectStore('collections').delete(staging);
      if (live) await tx.objectStore('retired').put({ physical: live.physical });
      return switched.manifest;
    });
    this.announce(name);
    await this.purgeRetired();
    return manifest;
  }

  async compact(name: string, options: { minDeadFraction?: number } = {}): Promise<CollectionManifest | null> {
    const rec = await this.record(null, name);
    const total = rec.manifest.vectorCount + rec.deadRows;
    if (rec.deadRows === 0 || rec.deadRows < (options.minDeadFraction ?? 0) * total) return null;
    // A rebuild without re-embedding: the live rows, block by block, into a staging
    // collection, then the usual atomic switch. Other tabs read the old blocks meanwhile.
    const staging = await this.beginRebuild(name, pickSpec(rec.manifest), { quantization: rec.manifest.quantization });
    try {
      const reader = await this.readVectors(name);
      for await (const block of reader.blocks) {
        if (!('vectors' in block)) throw createError('CORRUPT_INDEX', `collection "${name}": codes where float rows were asked for`);
        const docs = await this.getDocuments(name, block.ids);
        await this.append(
          staging,
          docs.map((d, i) => {
            if (!d) throw createError('CORRUPT_INDEX', `collection "${name}": vector ${block.ids[i]} has no document`);
            const { collection: _c, ...doc } = d;
            return doc;
          }),
          block.vectors,
        );
      }
      return await this.switchToRebuild(name, rec.version);
    } catch (err) {
      await this.abortRebuild(name).catch(() => undefined);
      throw err;
    }
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
    // The file carries float rows; how this site stores them (float32 only, or with int8 codes) stays its own choice.
    const quantization = (await this.getManifest(name))?.quantization ?? contents.manifest.quantization;
    const staging = await this.beginRebuild(name, pickSpec(contents.manifest), { quantization });
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

/** Ids and positions of a block's live rows; `kept` lists their slots when some are dead. */
function liveRows(blockIds: readonly (string | null)[], block: number): { ids: string[]; positions: Int32Array; kept: number[] | undefined } {
  const first = block * BLOCK_ROWS;
  if (blockIds.every((id) => id !== null)) {
    const positions = new Int32Array(blockIds.length);
    for (let slot = 0; slot < positions.length; slot++) positions[slot] = first + slot;
    return { ids: blockIds as string[], positions, kept: undefined };
  }
  const kept: number[] = [];
  blockIds.forEach((id, slot) => id !== null && kept.push(slot));
  return { ids: kept.map((slot) => blockIds[slot]!), positions: Int32Array.from(kept, (slot) => first + slot), kept };
}

/** How many blocks from the start are full (sealed Blobs), numbered 0, 1, 2... as their place in the file. */
function sealedPrefix(blocks: readonly BlockRecord[]): number {
  let n = 0;
  while (n < blocks.length && blocks[n]!.block === n && blocks[n]!.vectors instanceof Blob) n++;
  return n;
}

function checkExisting(rec: CollectionRecord, spec: EmbeddingSpec, options: CollectionOptions, name: string): CollectionManifest {
  assertManifest(rec.manifest, `collection "${name}"`);
  assertCompatible(rec.manifest, spec, name);
  if (options.quantization !== undefined && options.quantization !== rec.manifest.quantization) {
    throw createError(
      'MODEL_MISMATCH',
      `Collection "${name}" is stored with quantization "${rec.manifest.quantization}", not "${options.quantization}". Open it without a quantization option, or re-index it.`,
      {
        diffs: [{ field: 'quantization', stored: rec.manifest.quantization, requested: options.quantization }],
      },
    );
  }
  return rec.manifest;
}

const toRanges = (r: { min: number[]; max: number[] }): Ranges => ({ min: Float32Array.from(r.min), max: Float32Array.from(r.max) });

function toBody(d: DocumentInput): DocumentBody {
  const out: DocumentBody = { id: d.id, text: d.text };
  if (d.title !== undefined) out.title = d.title;
  if (d.url !== undefined) out.url = d.url;
  if (d.meta !== undefined) out.meta = d.meta;
  return out;
}
