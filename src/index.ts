// pagesense: semantic search that runs entirely inside a web page.

// Errors and progress
export { createError, isPagesenseError, PagesenseError, ERROR_CODES, type ErrorCode } from './core/errors.ts';
export type { Progress, ProgressCallback } from './core/progress.ts';

// Pure core: vectors, search kernel, quantization, sentence-transformers-style utilities, chunking, index file
export { normalizeRows, assertVectors } from './core/vectors.ts';
export { createFlatIndex, type FlatIndex, type FlatIndexOptions, type SearchOptions } from './core/kernel/flat-index.ts';
export type { Hit } from './core/kernel/top-k-heap.ts';
export { dotTopK } from './core/kernel/exact-search.ts';
export { quantizeEmbeddings, calibrateRanges, type Precision, type Ranges, type QuantizeOptions } from './core/quantization.ts';
export {
  normalizeEmbeddings, cosSim, dotScore, semanticSearch, paraphraseMining, communityDetection, toMatrix,
  type Matrix, type Embeddings, type CorpusHit, type SemanticSearchOptions, type ParaphraseMiningOptions, type CommunityDetectionOptions,
} from './core/similarity.ts';
export { chunkText, slugify, type Passage, type ChunkOptions } from './core/chunking.ts';
export { encodeIndexFile, decodeIndexFile, type IndexFileContents } from './core/index-file.ts';
export type { CollectionManifest, CollectionQuantization, EmbeddingSpec, Pooling } from './core/manifest.ts';

// Models and embedding
export { MODELS, DEFAULT_MODEL_ID, findModel, type ModelSpec, type Dtype } from './models/registry.ts';
export type { Embedder, EmbedderInfo, EmbedResult, EmbedOptions, Device, TextKind } from './embedding/embedder.ts';
export { createWorkerEmbedder, type WorkerEmbedderOptions } from './embedding/worker-embedder.ts';

// Storage
export { openIndexedDBStore, type IndexedDBStoreOptions, type VectorFileOptions } from './storage/indexeddb-store.ts';
export type { VectorStore, VectorReader, VectorBlock, CollectionOptions, ReadVectorsOptions, DocumentInput, StoredDocument, LoadedVectors } from './storage/vector-store.ts';
export { requestPersistence, storageReport, type StorageReport } from './storage/persistence.ts';

// Search
export { createSearchIndex, type SearchIndex, type SearchHit, type AddResult, type IngestOptions, type SearchIndexOptions } from './search/search-index.ts';
export { createPagesense, type PagesenseOptions } from './pagesense.ts';
