// pagesense: semantic search that runs entirely inside a web page.
export { createError, isPagesenseError, PagesenseError, ERROR_CODES, type ErrorCode } from './core/errors.ts';
export type { Progress, ProgressCallback } from './core/progress.ts';
export type { CollectionManifest, EmbeddingSpec, Pooling } from './core/manifest.ts';
export { chunkText, slugify, type Passage, type ChunkOptions } from './core/chunking.ts';
export { normalizeRows, assertVectors } from './core/vectors.ts';
export { dotTopK } from './core/kernel/exact-search.ts';
export { MODELS, DEFAULT_MODEL_ID, findModel, type ModelSpec, type Dtype } from './models/registry.ts';
export type { Embedder, EmbedderInfo, EmbedResult, Device, TextKind } from './embedding/embedder.ts';
export { createWorkerEmbedder, type WorkerEmbedderOptions } from './embedding/worker-embedder.ts';
export { openIndexedDBStore, type IndexedDBStoreOptions } from './storage/indexeddb-store.ts';
export type { VectorStore, DocumentInput, StoredDocument } from './storage/vector-store.ts';
export { createSearchIndex, type SearchIndex, type SearchHit, type AddResult, type SearchIndexOptions } from './search/search-index.ts';
export { createPagesense, type PagesenseOptions } from './pagesense.ts';
