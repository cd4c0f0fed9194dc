// The storage seam between a SearchIndex and where its collections live: a read-write
// store of documents and vectors with collections, rebuilds, export/import and tab
// sync (24 members). IndexedDB implements it; a read-only static site index does not
// and need not: static sites are searched by createSiteSearch over their own reader
// (site/site-index-reader.ts), not through this seam.
import type { CollectionManifest, CollectionQuantization, EmbeddingSpec } from '../core/manifest.ts';

export interface DocumentInput {
  /** Stable id, unique within a collection. */
  id: string;
  text: string;
  title?: string;
  /** Link target (page URL with #anchor). */
  url?: string;
  /** Any structured-cloneable data the caller wants back with results. */
  meta?: Record<string, unknown>;
}

export interface StoredDocument extends DocumentInput {
  collection: string;
}

export interface LoadedVectors {
  ids: string[];
  /** Row-major, ids.length x dimension. */
  vectors: Float32Array;
}

export interface CollectionOptions {
  /**
   * For a new collection: also keep int8 codes, so opening reads a quarter of
   * the bytes. Default 'none'. Given for an existing collection, it must match
   * what is stored (else MODEL_MISMATCH); left out, the stored setting is used.
   */
  quantization?: CollectionQuantization;
}

export interface ReadVectorsOptions {
  /** int8 collections: read full blocks as int8 codes (see the manifest's ranges) instead of float32 rows. */
  codes?: boolean;
}

/**
 * What a store fills when a search index opens a collection: the index's scan
 * memory, seen through the few calls a loader needs. A store may write float rows
 * straight into shared memory (sharedRegion + commitShared) or hand them over
 * block by block (add); it may also start over (reset) when a fast path fails.
 */
export interface RowSink {
  /** Called first: the manifest of the snapshot being read, and at most how many rows will come. */
  begin(manifest: CollectionManifest, rows: number): void;
  /**
   * Shared memory that the next `rows` raw float32 rows (little-endian, unpadded,
   * dimension floats each) may be written into from another thread, or undefined
   * when the sink has none (rows then come through add()).
   */
  sharedRegion(rows: number): { buffer: SharedArrayBuffer; byteOffset: number } | undefined;
  /** Counts the rows written into the region, with their ids and positions; false (none counted) when one holds NaN/Infinity. */
  commitShared(ids: readonly string[], positions: ArrayLike<number>): boolean;
  /** Appends one block's live rows. */
  add(block: VectorBlock): void;
  /** Forgets every row so far: the load starts again from the first block. */
  reset(): void;
}

interface BlockRows {
  ids: string[];
  /** Where each row sits in the store: pass them back as RowHints so lookups need no id index. */
  positions: Int32Array;
}

/** One stored block's live rows, in row order: float32 rows, or int8 codes when asked for and stored. */
export type VectorBlock =
  | (BlockRows & { /** Row-major, ids.length x dimension. */ vectors: Float32Array })
  | (BlockRows & { /** Row-major int8 codes, ids.length x dimension. */ codes: Int8Array });

/**
 * Row positions from a VectorReader, one per id (-1: unknown), for lookups by
 * the ids it returned. Ignored when the collection was rebuilt since that read.
 */
export interface RowHints {
  snapshot: string;
  positions: ArrayLike<number>;
}

/** A collection's vectors, read block by block so a reader can copy each into place while the next one loads. */
export interface VectorReader {
  manifest: CollectionManifest;
  /** Live rows across all blocks (known before the first block arrives, so memory can be sized once). */
  rows: number;
  /** Identifies what was read, for RowHints. */
  snapshot: string;
  /** Each block once, in row order. Throws CORRUPT_INDEX if a block's bytes do not match its ids. */
  blocks: AsyncIterable<VectorBlock>;
}

export interface VectorStore {
  /** Opens or creates a collection; refuses one built with another embedding setup (MODEL_MISMATCH). */
  openCollection(name: string, spec: EmbeddingSpec, options?: CollectionOptions): Promise<CollectionManifest>;
  getManifest(name: string): Promise<CollectionManifest | undefined>;
  listCollections(): Promise<CollectionManifest[]>;
  /** Adds new documents with their vectors in one transaction: all land, or none (an existing id fails the batch). */
  append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest>;
  /** Adds or replaces documents by id, in one transaction. */
  upsert(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest>;
  /** Removes documents by id (unknown ids are ignored), in one transaction. */
  delete(name: string, ids: readonly string[]): Promise<CollectionManifest>;
  /** Streams the vectors of one consistent snapshot of the collection. */
  readVectors(name: string, options?: ReadVectorsOptions): Promise<VectorReader>;
  /**
   * Fills `sink` with one consistent snapshot of the collection, the fastest way the
   * store has (a store with nothing faster streams readVectors' blocks into add()).
   * Returns the snapshot's manifest and its id for RowHints.
   */
  loadInto(name: string, sink: RowSink, options?: ReadVectorsOptions): Promise<{ manifest: CollectionManifest; snapshot: string }>;
  /** All vectors at once (readVectors, concatenated). */
  loadVectors(name: string): Promise<LoadedVectors>;
  /** The float32 rows of these ids, in order (for exact rescoring); an unknown id is NOT_FOUND. */
  getVectors(name: string, ids: readonly string[], hints?: RowHints): Promise<Float32Array>;
  getDocuments(name: string, ids: readonly string[], hints?: RowHints): Promise<(StoredDocument | undefined)[]>;
  hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]>;
  /** Removes the collection and everything in it. */
  clear(name: string): Promise<void>;
  /**
   * Data built from the collection's documents (the lexical index), saved by
   * putDerived: `value` only when it was saved for exactly the collection's current
   * state; `stamp` names that state. Undefined for an unknown collection. Optional:
   * a store without it has every derived index built from the documents on open.
   */
  getDerived?(name: string, key: string): Promise<{ stamp: string; value: string | undefined } | undefined>;
  /** Saves `value` as built from the state `stamp` named; false, and nothing saved, if the collection changed since. */
  putDerived?(name: string, key: string, stamp: string, value: string): Promise<boolean>;
  /**
   * Blue-green rebuild: a staging collection beside `name`, filled with append/upsert
   * under the returned name while `name` keeps answering. commitRebuild switches
   * atomically; the old data is deleted after the switch.
   */
  beginRebuild(name: string, spec: EmbeddingSpec, options?: CollectionOptions): Promise<string>;
  commitRebuild(name: string): Promise<CollectionManifest>;
  abortRebuild(name: string): Promise<void>;
  /**
   * Rewrites the collection without its deleted and replaced rows (a rebuild
   * without re-embedding, switched atomically). Skipped (null) when under
   * `minDeadFraction` of the stored rows are dead. CONFLICT if another tab
   * wrote meanwhile; then nothing changed.
   */
  compact(name: string, options?: { minDeadFraction?: number }): Promise<CollectionManifest | null>;
  /** One portable file: header with manifest and checksum, vectors, documents. */
  exportCollection(name: string): Promise<Uint8Array>;
  /** Validates the whole file first; replaces `name` atomically, or changes nothing. */
  importCollection(name: string, file: Uint8Array): Promise<CollectionManifest>;
  /** Calls back when another tab changed a collection. Returns an unsubscribe function. */
  onExternalChange(listener: (collection: string) => void): () => void;
  /** Set at open when the collections an earlier visit stored are gone (evicted, or site data cleared): what was lost. */
  readonly dataLost?: string;
  /** Set by a store whose data ends with the page (the memory store): why it is not persistent. */
  readonly inMemoryBecause?: string;
  /** Resolves once work the store does in the background (copying blocks to a vector file) has finished; close() drops what is left. */
  whenIdle?(): Promise<void>;
  close(): void;
}
