// The IndexedDB schema: its version and upgrade, the records, and the transaction
// types the rest of the store writes through.
//
// Layout. A collection's logical name maps to a physical id; everything else is
// keyed by the physical id. Rows live in blocks of up to BLOCK_ROWS: one record
// with the block's vectors (a Blob once full; see block-records.ts), one with its
// row ids, and the documents in chunks of DOC_CHUNK rows. So writing or opening a
// 100k-passage collection is a few hundred records, not 100k, and fetching a
// result's text reads one small chunk. Replaced or deleted rows become tombstones
// (null) until a compaction rewrites the collection.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { CollectionManifest } from '../core/manifest.ts';
import type { BlockRecord, SegmentRecord } from './block-records.ts';
import type { BlockProbe } from './block-probe.ts';
import type { StoredDocument } from './vector-store.ts';

export const BLOCK_ROWS = 2048;
export const DOC_CHUNK = 128;
export const CHUNKS_PER_BLOCK = BLOCK_ROWS / DOC_CHUNK;
// 1: collections, blocks, slots, docs, retired. 2: segments (appends to the open block).
// 3: derived (indexes built from a collection's documents, such as the lexical index).
export const DB_VERSION = 3;
/** A staging collection's name: the live name plus a control character no caller may use. */
export const REBUILD_SUFFIX = '\u0001rebuild';

export interface CollectionRecord {
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

export interface SlotsRecord {
  collection: string;
  block: number;
  ids: (string | null)[];
}

export type DocumentBody = Omit<StoredDocument, 'collection'>;

export interface DocChunkRecord {
  collection: string;
  chunk: number; // block * CHUNKS_PER_BLOCK + slot / DOC_CHUNK
  docs: (DocumentBody | null)[];
}

/** Data built from one state of a collection; valid while the collection's record still has `version`. */
export interface DerivedRecord {
  collection: string; // the physical id
  key: string;
  version: number;
  value: string;
}

export interface PagesenseDB extends DBSchema {
  collections: { key: string; value: CollectionRecord };
  blocks: { key: [string, number]; value: BlockRecord };
  slots: { key: [string, number]; value: SlotsRecord };
  docs: { key: [string, number]; value: DocChunkRecord };
  retired: { key: string; value: { physical: string } };
  segments: { key: [string, number, number]; value: SegmentRecord };
  derived: { key: [string, string]; value: DerivedRecord };
}

export const STORES = ['collections', 'blocks', 'slots', 'docs', 'retired', 'segments', 'derived'] as const;
export type Database = IDBPDatabase<PagesenseDB>;
export type WriteTx = IDBPTransaction<PagesenseDB, (typeof STORES)[number][], 'readwrite'>;

/** Opens (creating or upgrading) the database; `blocking` runs when another tab needs a newer version. */
export function openPagesenseDB(name: string, blocking: () => void): Promise<Database> {
  return openDB<PagesenseDB>(name, DB_VERSION, {
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
      if (oldVersion < 3) upgradeDb.createObjectStore('derived', { keyPath: ['collection', 'key'] });
    },
    blocking,
  });
}
