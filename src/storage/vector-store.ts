// The storage seam: IndexedDB in browsers; anything else (a static index, memory) can implement it.
import type { CollectionManifest, EmbeddingSpec } from '../core/manifest.ts';

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

export interface VectorStore {
  /** Opens or creates a collection; refuses one built with another embedding setup (MODEL_MISMATCH). */
  openCollection(name: string, spec: EmbeddingSpec): Promise<CollectionManifest>;
  getManifest(name: string): Promise<CollectionManifest | undefined>;
  listCollections(): Promise<CollectionManifest[]>;
  /** Adds new documents with their vectors in one transaction: all land, or none (an existing id fails the batch). */
  append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest>;
  /** Adds or replaces documents by id, in one transaction. */
  upsert(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest>;
  /** Removes documents by id (unknown ids are ignored), in one transaction. */
  delete(name: string, ids: readonly string[]): Promise<CollectionManifest>;
  loadVectors(name: string): Promise<LoadedVectors>;
  getDocuments(name: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]>;
  hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]>;
  /** Removes the collection and everything in it. */
  clear(name: string): Promise<void>;
  /**
   * Blue-green rebuild: a staging collection beside `name`, filled with append/upsert
   * under the returned name while `name` keeps answering. commitRebuild switches
   * atomically; the old data is deleted after the switch.
   */
  beginRebuild(name: string, spec: EmbeddingSpec): Promise<string>;
  commitRebuild(name: string): Promise<CollectionManifest>;
  abortRebuild(name: string): Promise<void>;
  /** One portable file: header with manifest and checksum, vectors, documents. */
  exportCollection(name: string): Promise<Uint8Array>;
  /** Validates the whole file first; replaces `name` atomically, or changes nothing. */
  importCollection(name: string, file: Uint8Array): Promise<CollectionManifest>;
  /** Calls back when another tab changed a collection. Returns an unsubscribe function. */
  onExternalChange(listener: (collection: string) => void): () => void;
  close(): void;
}
