// The browser entry point: a worker-backed embedder, an IndexedDB store and a search
// index, wired together from one flat options object.
import type { CollectionQuantization } from './core/manifest.ts';
import { assertKnownOptions } from './core/options.ts';
import type { ProgressCallback } from './core/progress.ts';
import { isPagesenseError } from './core/errors.ts';
import type { Device, Embedder } from './embedding/embedder.ts';
import { unavailableEmbedder } from './embedding/unavailable-embedder.ts';
import { createWorkerEmbedder } from './embedding/worker-embedder.ts';
import { DEFAULT_MODEL_ID, findModel, type Dtype, type ModelSpec } from './models/registry.ts';
import { createSearchIndex, type SearchIndex } from './search/search-index.ts';
import { openBrowserStore } from './storage/browser-store.ts';
import type { VectorFileOptions } from './storage/indexeddb-store.ts';

/** Every option of createPagesense. All are optional; unknown names are rejected with UNKNOWN_OPTION. */
export interface PagesenseOptions {
  // The model
  /** Registry id (see MODELS) or a full ModelSpec for an unlisted model. Default 'Xenova/bge-small-en-v1.5'. */
  model?: string | ModelSpec;
  /** 'auto' (default): WebGPU when a hardware adapter runs the model, else WASM. 'webgpu' or 'wasm' force one. */
  device?: 'auto' | Device;
  /** Weights to load. Default: the registry's choice per device (q8 on WASM for the Hub models, fp32 on WebGPU). */
  dtype?: Dtype;
  /** Hub revision of the model. Default 'main'. */
  revision?: string;
  /** Where self-hosted models live, resolved against the page: `<localModelPath><model id>/`. Default 'models/'. */
  localModelPath?: string;
  /** Fetch the model from the Hub when it is not self-hosted. Default true; false keeps every request on the page's origin. */
  allowRemoteModels?: boolean;
  /** The Hub or a mirror with the same URL layout ({host}/{model}/resolve/{revision}/{file}). Default 'https://huggingface.co/'. */
  remoteHost?: string;
  /** Folder holding onnxruntime-web's .mjs and .wasm, resolved against the page. Default: the package's own copy, which bundlers emit and `pagesense assets` copies. */
  wasmBase?: string;
  /** WASM threads; more than 1 needs a cross-origin isolated page. Default min(4, cores) when isolated, else 1. */
  threads?: number;
  /** Most texts per model call. Default 16. */
  batchSize?: number;
  /** Most tokens per model call (texts x longest text). Default 512: long texts go few at a time, short ones many. */
  maxBatchTokens?: number;
  /** Model download and load progress: { status: 'download', file, loaded, total }, 'load', 'ready'. */
  onProgress?: ProgressCallback;
  /** Milliseconds the embedding worker may take to fetch and start its script; past it, loading fails (MODEL_UNAVAILABLE, or the lexical fallback). Default 20 000. */
  workerStartTimeout?: number;

  // The index
  /** Collection name in IndexedDB; it is stamped with the model, and opening it with another fails with MODEL_MISMATCH. Default 'default'. */
  collection?: string;
  /** IndexedDB database name. Default 'pagesense'. */
  databaseName?: string;
  /** A new collection's storage: 'none' keeps float32; 'int8' scans int8 codes and re-ranks from float32. Default 'none'. */
  quantization?: CollectionQuantization;
  /** int8: candidates re-ranked per result (k x rescore). Default 4. */
  rescore?: number;
  /** Compact after delete/upsert once dead rows reach this fraction. Default 0.25; 1 turns it off. */
  compactAt?: number;
  /** Texts embedded and committed per transaction; a crash loses at most one. Default 32. */
  commitBatch?: number;
  /** Longest accepted text in characters. Default 200 000; chunk longer documents first. */
  maxTextLength?: number;
  /** Reload when another tab changes the collection. Default true. */
  watch?: boolean;
  /** Called after the index reloaded because another tab changed the collection. */
  onExternalChange?: () => void;
  /** Another tab opened the database with a newer schema: this index closes (calls fail with CLOSED); ask the user to reload. */
  onVersionChange?: () => void;
  /** Mirror float32 blocks into an OPFS file for faster opens of large collections. Default true. */
  vectorFiles?: boolean | VectorFileOptions;
  /**
   * When IndexedDB cannot be opened (storage blocked, a sandboxed frame): resolve with an index
   * kept in memory for the life of the page (`info.storage` 'memory', `info.storageReason` why,
   * an onProgress `{ status: 'fallback', storage: 'memory' }` event). Default true; false rejects
   * with STORAGE_FAILED instead.
   */
  memoryFallback?: boolean;
  /**
   * When no model can be loaded (offline, nothing self-hosted): resolve anyway with an
   * index that searches the stored collection lexically (`info.mode` 'lexical', an
   * onProgress `{ status: 'fallback' }` event) and refuses to add with MODEL_UNAVAILABLE.
   * Default true; false rejects with MODEL_UNAVAILABLE instead.
   */
  lexicalFallback?: boolean;
}

const EMBEDDER_KEYS = [
  'device',
  'dtype',
  'revision',
  'localModelPath',
  'allowRemoteModels',
  'remoteHost',
  'wasmBase',
  'threads',
  'batchSize',
  'maxBatchTokens',
  'onProgress',
  'workerStartTimeout',
] as const;
const INDEX_KEYS = ['quantization', 'rescore', 'compactAt', 'commitBatch', 'maxTextLength', 'watch', 'onExternalChange'] as const;
const STORE_KEYS = ['databaseName', 'onVersionChange', 'vectorFiles'] as const;
export const PAGESENSE_OPTIONS: readonly (keyof PagesenseOptions)[] = [
  'model',
  'collection',
  'lexicalFallback',
  'memoryFallback',
  ...EMBEDDER_KEYS,
  ...INDEX_KEYS,
  ...STORE_KEYS,
];

/** Only the keys given (an undefined value counts as not given, so the callee's default applies). */
function pick<K extends keyof PagesenseOptions>(options: PagesenseOptions, keys: readonly K[]): Pick<PagesenseOptions, K> {
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as Pick<PagesenseOptions, K>;
}

/** Loads the model in a worker, opens (or creates) the collection, and returns its search index. */
export async function createPagesense(options: PagesenseOptions = {}): Promise<SearchIndex> {
  assertKnownOptions(options, PAGESENSE_OPTIONS, 'createPagesense');
  const model = options.model ?? DEFAULT_MODEL_ID;
  let embedder: Embedder;
  try {
    embedder = await createWorkerEmbedder({ ...pick(options, EMBEDDER_KEYS), model });
  } catch (err) {
    const spec = typeof model === 'string' ? findModel(model) : model;
    if (!isPagesenseError(err, 'MODEL_UNAVAILABLE') || options.lexicalFallback === false || !spec) throw err;
    embedder = unavailableEmbedder(spec, err);
    options.onProgress?.({ status: 'fallback', mode: 'lexical', reason: err.message });
  }
  try {
    const store = await openBrowserStore({
      ...pick(options, STORE_KEYS),
      memoryFallback: options.memoryFallback ?? true,
      onMemoryFallback: (reason) => options.onProgress?.({ status: 'fallback', storage: 'memory', reason }),
    });
    return await createSearchIndex({ ...pick(options, INDEX_KEYS), embedder, store, collection: options.collection ?? 'default' });
  } catch (err) {
    await embedder.dispose();
    throw err;
  }
}
