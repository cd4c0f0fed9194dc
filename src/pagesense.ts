// The browser entry point: a worker-backed embedder, an IndexedDB store and a search index, wired together.
import type { ProgressCallback } from './core/progress.ts';
import { DEFAULT_MODEL_ID, type Dtype, type ModelSpec } from './models/registry.ts';
import type { Device } from './embedding/embedder.ts';
import { createWorkerEmbedder } from './embedding/worker-embedder.ts';
import { openIndexedDBStore } from './storage/indexeddb-store.ts';
import { createSearchIndex, type SearchIndex } from './search/search-index.ts';

export interface PagesenseOptions {
  /** Registry id or ModelSpec. Default 'Xenova/bge-small-en-v1.5'. */
  model?: string | ModelSpec;
  /** Collection name in IndexedDB. Default 'default'. */
  collection?: string;
  /** 'auto' (default): WebGPU with a hardware adapter, else WASM. */
  device?: 'auto' | Device;
  dtype?: Dtype;
  /** Self-hosted model folder, relative to the page. Default 'models/'. */
  localModelPath?: string;
  /** Fall back to the Hugging Face Hub. Default true. */
  allowRemoteModels?: boolean;
  /** A Hub mirror with the Hub's URL layout. Default https://huggingface.co/. */
  remoteHost?: string;
  /** Folder serving onnxruntime-web's wasm, relative to the page. Default 'ort/'. */
  wasmBase?: string;
  /** IndexedDB database name. Default 'pagesense'. */
  databaseName?: string;
  /** Model download and load progress. */
  onProgress?: ProgressCallback;
}

export async function createPagesense(options: PagesenseOptions = {}): Promise<SearchIndex> {
  const embedder = await createWorkerEmbedder({
    model: options.model ?? DEFAULT_MODEL_ID,
    device: options.device ?? 'auto',
    ...(options.dtype ? { dtype: options.dtype } : {}),
    ...(options.localModelPath ? { localModelPath: options.localModelPath } : {}),
    ...(options.wasmBase ? { wasmBase: options.wasmBase } : {}),
    allowRemoteModels: options.allowRemoteModels ?? true,
    ...(options.remoteHost ? { remoteHost: options.remoteHost } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  try {
    const store = await openIndexedDBStore(options.databaseName ? { databaseName: options.databaseName } : {});
    return await createSearchIndex({ embedder, store, collection: options.collection ?? 'default' });
  } catch (err) {
    await embedder.dispose();
    throw err;
  }
}
