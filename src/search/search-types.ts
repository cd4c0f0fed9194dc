// The shapes of a search index: its options, its verbs, and what they return.
import type { CollectionManifest, CollectionQuantization } from '../core/manifest.ts';
import type { ProgressCallback } from '../core/progress.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { DocumentInput, VectorStore } from '../storage/vector-store.ts';

export interface SearchIndexOptions {
  embedder: Embedder;
  store: VectorStore;
  /** Collection name. Default 'default'. */
  collection?: string;
  /** Texts embedded and committed per transaction. Default 32. A crash loses at most one batch. */
  commitBatch?: number;
  /** Longest accepted text in characters. Default 200 000. Chunk longer documents first. */
  maxTextLength?: number;
  /** Reload when another tab changes the collection. Default true. */
  watch?: boolean;
  /** Called after the index reloaded because another tab changed the collection. */
  onExternalChange?: () => void;
  /**
   * A new collection's storage: 'none' (default) keeps float32 only; 'int8' also
   * keeps int8 codes, which are what opening reads and searching scans (a
   * quarter of the bytes), with the best candidates re-ranked exactly from their
   * float32 rows. An existing collection keeps what it was built with.
   */
  quantization?: CollectionQuantization;
  /** int8: candidates re-ranked per result (k * rescore). Default 4. */
  rescore?: number;
  /**
   * After delete/upsert, rewrite the collection without dead rows once they are
   * this fraction of the stored rows. Default 0.25; 1 turns it off (see compact()).
   */
  compactAt?: number;
}

export interface AddResult {
  added: number;
  /** Ids already in the collection, left as they are. */
  skipped: string[];
  /** Ids whose text was cut at the model's token limit. */
  truncated: string[];
}

export interface IngestOptions {
  onProgress?: ProgressCallback;
  /** Stops after the batch in flight with CANCELLED; batches already committed stay. */
  signal?: AbortSignal;
}

/** 'hybrid' (default): both sides fused by reciprocal rank fusion; 'vector': the model alone; 'lexical': BM25 alone. */
export type SearchMode = 'hybrid' | 'vector' | 'lexical';

export interface SearchOptions {
  /** Results. Default 10. */
  k?: number;
  /** Which sides answer. Default 'hybrid'. */
  mode?: SearchMode;
  /** Reciprocal rank fusion's k (score = sum of 1 / (rrfK + rank)). Default 60 (Cormack et al., 2009). */
  rrfK?: number;
}

export interface SearchHit {
  id: string;
  /** 'vector': the cosine; 'lexical': the BM25 score; 'hybrid': the fused score (see sources for each side's). */
  score: number;
  text: string;
  title?: string;
  url?: string;
  meta?: Record<string, unknown>;
  /** Which side found it. */
  foundBy: 'vector' | 'lexical' | 'both';
  /** Its rank (from 1) and score on each side that found it. */
  sources: { vector?: { rank: number; score: number }; lexical?: { rank: number; score: number } };
}

/** Where one search spent its time, in milliseconds (sides that did not run are 0). */
export interface SearchTimings {
  /** The model turning the query into a vector (the worker round trip included). */
  embedMs: number;
  /** The exact scan of every stored vector (or code). */
  scanMs: number;
  /** int8: reading the candidates' float32 rows and re-ranking them. */
  rescoreMs: number;
  /** BM25 over the lexical index. */
  lexicalMs: number;
  /** Reading the shown documents from the store. */
  fetchMs: number;
  totalMs: number;
}

export interface SearchIndex {
  readonly manifest: CollectionManifest;
  /**
   * mode 'hybrid': the model and BM25; 'lexical': no model could be loaded, and `reason` says why and what to do.
   * storage 'indexeddb': kept between visits; 'memory': IndexedDB could not be opened, the data ends with the page, and `storageReason` says why.
   * dataLost: set when the collections an earlier visit stored were found gone (evicted, or site data cleared).
   */
  readonly info: {
    mode: 'hybrid' | 'lexical';
    reason: string | undefined;
    storage: 'indexeddb' | 'memory';
    storageReason: string | undefined;
    dataLost: string | undefined;
  };
  /** Embeds and stores documents whose ids are new; known ids are skipped (see upsert). */
  add(docs: readonly DocumentInput[], options?: IngestOptions): Promise<AddResult>;
  /** Embeds and stores documents, replacing those whose ids are already indexed. */
  upsert(docs: readonly DocumentInput[], options?: IngestOptions): Promise<AddResult>;
  delete(ids: readonly string[]): Promise<number>;
  /** The stored documents of these ids, in order; undefined where an id is not indexed. */
  get(ids: readonly string[]): Promise<(DocumentInput | undefined)[]>;
  /** The k best documents, best first; see SearchOptions for the modes. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  count(): number;
  /** Where the last search that found anything spent its time; undefined before one. */
  readonly lastSearch: SearchTimings | undefined;
  /** Re-reads vectors from storage (done automatically when another tab changes the collection). */
  reload(): Promise<void>;
  /** Rewrites the collection without deleted and replaced rows now; returns whether there were any. */
  compact(): Promise<boolean>;
  /**
   * Re-embeds every document with another embedder into a new collection built
   * beside this one (which keeps answering meanwhile), then switches atomically.
   * Returns the index bound to the new embedder; this one must not be used after.
   */
  reindex(embedder: Embedder, options?: IngestOptions): Promise<SearchIndex>;
  /** The collection as one portable file: header with manifest and checksum, vectors, documents. */
  exportFile(): Promise<Uint8Array>;
  /**
   * Replaces the collection with an exported file, atomically. The file must come
   * from the same embedding setup (else MODEL_MISMATCH); a damaged file is
   * CORRUPT_INDEX. Either way nothing changes on failure.
   */
  importFile(file: Uint8Array): Promise<void>;
  clear(): Promise<void>;
  close(): Promise<void>;
}
