// The browser entry point: a worker-backed embedder, an IndexedDB store and a search index, wired together.
import { DEFAULT_MODEL_ID } from './models/registry.ts';
import { createWorkerEmbedder, type WorkerEmbedderOptions } from './embedding/worker-embedder.ts';
import { openIndexedDBStore, type IndexedDBStoreOptions } from './storage/indexeddb-store.ts';
import { createSearchIndex, type SearchIndex, type SearchIndexOptions } from './search/search-index.ts';

/**
 * The embedder's options (model, device, dtype, localModelPath, allowRemoteModels,
 * remoteHost, wasmBase, threads, batchSize, onProgress; see RuntimeOptions), with
 * `model` optional, plus where to keep the index.
 */
export interface PagesenseOptions extends Omit<WorkerEmbedderOptions, 'model'>, Pick<SearchIndexOptions, 'quantization' | 'rescore' | 'compactAt' | 'commitBatch' | 'maxTextLength' | 'watch' | 'onExternalChange'> {
  /** Registry id or ModelSpec. Default 'Xenova/bge-small-en-v1.5'. */
  model?: WorkerEmbedderOptions['model'];
  /** Collection name in IndexedDB. Default 'default'. */
  collection?: string;
  /** IndexedDB database name. Default 'pagesense'. */
  databaseName?: string;
  /** Another tab opened the database with a newer schema: this page's index is closed (calls fail with CLOSED); ask the user to reload. */
  onVersionChange?: () => void;
  /** Keep a copy of float32 vectors in the Origin Private File System for faster opens (see IndexedDBStoreOptions.vectorFiles). Default true. */
  vectorFiles?: IndexedDBStoreOptions['vectorFiles'];
}

export async function createPagesense(options: PagesenseOptions = {}): Promise<SearchIndex> {
  const { collection, databaseName, onVersionChange, vectorFiles, model, quantization, rescore, compactAt, commitBatch, maxTextLength, watch, onExternalChange, ...embedderOptions } = options;
  const embedder = await createWorkerEmbedder({ ...embedderOptions, model: model ?? DEFAULT_MODEL_ID });
  try {
    const store = await openIndexedDBStore({ ...(databaseName ? { databaseName } : {}), ...(onVersionChange ? { onVersionChange } : {}), ...(vectorFiles === undefined ? {} : { vectorFiles }) });
    const indexOptions = { quantization, rescore, compactAt, commitBatch, maxTextLength, watch, onExternalChange };
    // Only the options given: createSearchIndex's defaults apply to the rest.
    const given = Object.fromEntries(Object.entries(indexOptions).filter(([, v]) => v !== undefined));
    return await createSearchIndex({ ...given, embedder, store, collection: collection ?? 'default' });
  } catch (err) {
    await embedder.dispose();
    throw err;
  }
}
