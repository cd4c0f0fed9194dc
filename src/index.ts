// pagesense: semantic search that runs entirely inside a web page (the browser API).
// The pure core (kernel, sentence-transformers util mirror, quantization, chunking, the
// index file) is also its own entry, 'pagesense/core', for Node and workers; the
// retrieval toolbox (lexical index, fusion, metrics) is there only, so this entry
// loads the lexical engine lazily, when a search first needs it.

export * from './core/essentials.ts';
export type { SearchOptions as FlatSearchOptions } from './core/kernel/flat-index.ts';

// The one-call entry point
export { createPagesense, type PagesenseOptions } from './pagesense.ts';

// Models and embedding
export { MODELS, DEFAULT_MODEL_ID, findModel, type ModelSpec, type Dtype } from './models/registry.ts';
export type { Embedder, EmbedderInfo, EmbedResult, EmbedOptions, Device, TextKind } from './embedding/embedder.ts';
export { createWorkerEmbedder, type WorkerEmbedderOptions } from './embedding/worker-embedder.ts';

// Storage
export { openIndexedDBStore, type IndexedDBStoreOptions, type VectorFileOptions } from './storage/indexeddb-store.ts';
export { openBrowserStore, type BrowserStoreOptions } from './storage/browser-store.ts';
export { createMemoryStore } from './storage/memory-store.ts';
export type { VectorStore, DocumentInput, StoredDocument } from './storage/vector-store.ts';
export { requestPersistence, storageReport, type StorageReport } from './storage/persistence.ts';

// Search
export {
  createSearchIndex,
  type SearchIndex,
  type SearchHit,
  type SearchMode,
  type SearchOptions,
  type SearchTimings,
  type AddResult,
  type IngestOptions,
  type SearchIndexOptions,
} from './search/search-index.ts';

// Pages and snippets in the DOM: the same main-content rules `pagesense index` applies, and the one excerpt renderer
export { htmlSections } from './platform/dom-sections.ts';
export type { PageContent, Section, SectionOptions } from './core/main-content.ts';
export { excerptFragment } from './platform/excerpt-fragment.ts';
