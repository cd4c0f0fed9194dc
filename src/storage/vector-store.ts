// The storage seam: IndexedDB in browsers; anything else (a static index, memory) can implement it.
import type { CollectionManifest, EmbeddingSpec } from '../core/manifest.ts';

export interface DocumentInput {
  /** Stable id; defaults to a hash-free running number when omitted by the caller's layer. */
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
  /** Adds documents with their vectors in one transaction: all of them land, or none. */
  append(name: string, docs: readonly DocumentInput[], vectors: Float32Array): Promise<CollectionManifest>;
  loadVectors(name: string): Promise<LoadedVectors>;
  getDocuments(name: string, ids: readonly string[]): Promise<(StoredDocument | undefined)[]>;
  hasDocuments(name: string, ids: readonly string[]): Promise<boolean[]>;
  clear(name: string): Promise<void>;
  close(): void;
}
