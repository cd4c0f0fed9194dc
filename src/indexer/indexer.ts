// createIndexer(): a site folder (built HTML or Markdown) in, a static index out —
// sections by heading, passages sized by the model's tokenizer, embedded in Node with
// exactly the model, dtype and pooling the page will use, int8 codes for the scan,
// float32 shards for rescoring, passage shards for what is shown, and Pagefind's
// chunked index for the lexical side. Unchanged passages come from the cache.
import { join, resolve } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { createError } from '../core/errors.ts';
import { DTYPES, type Dtype } from '../core/manifest.ts';
import { assertKnownOptions, assertOptionValues, type OptionKind } from '../core/options.ts';
import { calibrateRanges, quantizeRows } from '../core/quantization.ts';
import { SITE_INDEX_FORMAT, SITE_INDEX_VERSION, type ParityFigures, type SiteEngine, type SiteManifest, type SitePassage } from '../core/site-index.ts';
import { EMBED_APIS, type EmbedApi, type EngineInfo } from './remote-api.ts';
import type { EndpointStats } from './remote-embedder.ts';
import { embedRemotely, engineRecord, startRemote, type RemoteRun } from './remote-embedding.ts';
import { importVectors } from './vector-import.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { loadTransformersEmbedder } from '../embedding/transformers-runtime.ts';
import { DEFAULT_MODELS_DIR } from '../models/model-files.ts';
import { DEFAULT_MODEL_ID, findModel, MODEL_IDS } from '../models/registry.ts';
import { PAGESENSE_VERSION } from '../version.ts';
import { bundleModel } from './bundle-model.ts';
import { sha256 } from './content-hash.ts';
import { openEmbeddingCache } from './embedding-cache.ts';
import { writePagefindIndex } from './pagefind-writer.ts';
import { readSitePages } from './site-files.ts';
import { folderBytes, previousManifest, removeStaleFolders, writeSiteIndex } from './site-index-writer.ts';
import { sitePassages } from './site-passages.ts';
import { DEFAULT_SPARSE_PRUNING, loadSparseEncoder } from './sparse-encoder.ts';
import type { SparseContents } from './sparse-writer.ts';
import { encodeSparse } from './sparse-run.ts';
import { embedMissing } from './embed-missing.ts';
import { findSparseModel, SPARSE_MODEL_IDS } from '../models/sparse-registry.ts';

export interface IndexerOptions {
  /** Registry id. Default 'Xenova/bge-small-en-v1.5'. */
  model?: string;
  /** Weights; default the registry's WASM dtype (q8 for the Hub's models). The manifest names it and the page loads the same. */
  dtype?: Dtype;
  /** Folder holding models/<id>/ (self-hosted or forged). Default './public/models' (what `fetch-model` writes), then the Hub. */
  localModelPath?: string;
  /** Allow the Hub when the model is not under localModelPath. Default true. */
  allowRemoteModels?: boolean;
  /** Tokens per passage ([CLS] and [SEP] included). Default 256. */
  maxTokens?: number;
  /** Tokens repeated from one passage into the next. Default 32. */
  overlapTokens?: number;
  /** Keep code blocks. Default true. */
  code?: boolean;
  /** Write Pagefind's index for the lexical side. Default true. */
  lexical?: boolean;
  /** Where embedded passages are remembered between runs. Default '.pagesense-cache'. */
  cacheDir?: string;
  /** Texts per model call. Default 32. */
  batchSize?: number;
  /** Copy the model's files into the index folder, so the site never calls the Hub. Default false. */
  bundleModel?: boolean;
  /**
   * A learned-sparse document encoder (sparse registry id, e.g.
   * 'opensearch-project/opensearch-neural-sparse-encoding-doc-v3-distill'): writes the
   * sparse side, which answers semantically in the page with no model loaded. Its files
   * must be under localModelPath (`pagesense fetch-model <id> --sparse`). Default none.
   */
  sparse?: string;
  /** Tokens kept per passage on the sparse side (the highest weights). Default 256. */
  sparseTopTerms?: number;
  /**
   * Embedding servers to embed passages on instead of this process (base URLs, e.g.
   * 'http://tei-1:8080'): batches are spread over all of them. Canary passages are
   * checked against the local model before the run and a sample after it. Default none.
   */
  embedEndpoints?: string[];
  /** What the endpoints speak: 'tei' (text-embeddings-inference), 'openai' (/v1/embeddings) or 'ollama' (/api/embed). Default 'tei'. */
  embedApi?: EmbedApi;
  /** The model name sent to OpenAI-compatible and Ollama servers. Default the model id. */
  embedModel?: string;
  /** Requests in flight per endpoint. Default 4. */
  embedConcurrency?: number;
  /** Headers sent to the endpoints, e.g. { Authorization: 'Bearer …' } for a hosted API. Default none. */
  embedHeaders?: Record<string, string>;
  /** The fetch the remote path uses (tests, proxies). Default globalThis.fetch. */
  fetch?: typeof fetch;
  /**
   * A batch job's vectors (Parquet or Arrow IPC: `id`, the passage's SHA-256 as
   * `pagesense passages` writes it, and `vector`) used instead of embedding; a sample is
   * checked against the local model. Default none.
   */
  vectorsFile?: string;
}

/** Every option createIndexer takes, with the kind of value each must have. */
export const INDEXER_OPTION_KINDS: Readonly<Record<keyof IndexerOptions, OptionKind>> = {
  model: 'string',
  dtype: DTYPES,
  localModelPath: 'string',
  allowRemoteModels: 'boolean',
  maxTokens: 'positiveInteger',
  overlapTokens: 'nonNegativeInteger',
  code: 'boolean',
  lexical: 'boolean',
  cacheDir: 'string',
  batchSize: 'positiveInteger',
  bundleModel: 'boolean',
  sparse: 'string',
  sparseTopTerms: 'positiveInteger',
  embedEndpoints: 'object',
  embedApi: EMBED_APIS,
  embedModel: 'string',
  embedConcurrency: 'positiveInteger',
  embedHeaders: 'object',
  fetch: 'function',
  vectorsFile: 'string',
};
export const INDEXER_OPTIONS = Object.keys(INDEXER_OPTION_KINDS) as readonly (keyof IndexerOptions)[];

export type IndexerProgress =
  | { status: 'pages'; pages: number; passages: number; skipped: string[] }
  | { status: 'engine'; engines: EngineInfo[]; warnings: string[]; canaries: ParityFigures }
  | { status: 'embed'; done: number; total: number; passagesPerSecond: number; endpoints?: readonly EndpointStats[] }
  | { status: 'sparse'; done: number; total: number; passagesPerSecond: number }
  | { status: 'lexical' }
  | { status: 'done'; manifest: SiteManifest; embedded: number; bytes: number; seconds: number };

export interface IndexRun {
  /** Where the index goes. Default `<dir>/pagesense`. */
  out?: string;
  onProgress?: (p: IndexerProgress) => void;
}

export interface IndexResult {
  manifest: SiteManifest;
  /** Passages embedded by this run; the rest came from the cache. */
  embedded: number;
  /** The index folder. */
  out: string;
  /** Bytes in the index folder (shards, manifest, Pagefind's index, a bundled model). */
  bytes: number;
  seconds: number;
}

export interface Indexer {
  /** Indexes `dir` into `out` (default `<dir>/pagesense`). */
  index(dir: string, run?: IndexRun): Promise<IndexResult>;
  dispose(): Promise<void>;
}

const INDEX_RUN_KINDS: Readonly<Record<keyof IndexRun, OptionKind>> = { out: 'string', onProgress: 'function' };

export async function createIndexer(options: IndexerOptions = {}): Promise<Indexer> {
  assertKnownOptions(options, INDEXER_OPTIONS, 'createIndexer');
  assertOptionValues(options, INDEXER_OPTION_KINDS, 'createIndexer');
  const spec = findModel(options.model ?? DEFAULT_MODEL_ID);
  if (!spec) {
    throw createError('NOT_FOUND', `unknown model ${JSON.stringify(options.model)}; use one of ${MODEL_IDS.join(', ')}`, {
      model: options.model,
      allowed: MODEL_IDS,
    });
  }
  const localModelPath = resolve(options.localModelPath ?? DEFAULT_MODELS_DIR) + '/';
  if (options.sparse !== undefined && !findSparseModel(options.sparse)) {
    throw createError('NOT_FOUND', `unknown sparse model ${JSON.stringify(options.sparse)}; use one of ${SPARSE_MODEL_IDS.join(', ')}`, {
      model: options.sparse,
      allowed: SPARSE_MODEL_IDS,
    });
  }
  const embedder = await loadTransformersEmbedder({
    model: spec.id,
    device: 'cpu',
    dtype: options.dtype ?? spec.dtype.wasm,
    localModelPath,
    allowRemoteModels: options.allowRemoteModels ?? true,
    batchSize: options.batchSize ?? 32,
    maxBatchTokens: 8192,
  });
  // The runtime configured transformers.js' one env for this model: the same files give the tokenizer.
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(spec.id);
  const sparse = options.sparse
    ? await loadSparseEncoder({ model: options.sparse, localModelPath, pruning: { topTerms: options.sparseTopTerms ?? DEFAULT_SPARSE_PRUNING.topTerms } })
    : undefined;
  const count = (text: string) => (tokenizer.encode(text, { add_special_tokens: false }) as number[]).length;
  const passageOptions = {
    maxTokens: Math.min(options.maxTokens ?? 256, spec.maxTokens),
    overlapTokens: options.overlapTokens ?? 32,
    code: options.code ?? true,
  };
  const { info } = embedder;
  const endpoints = options.embedEndpoints;
  if (endpoints !== undefined && (!Array.isArray(endpoints) || !endpoints.length || !endpoints.every((e) => typeof e === 'string' && /^https?:\/\//.test(e)))) {
    throw createError('INVALID_ARGUMENT', `createIndexer: embedEndpoints takes a non-empty array of http(s) URLs, got ${JSON.stringify(endpoints)}`, {
      argument: 'embedEndpoints',
    });
  }
  let remote: RemoteRun | undefined;
  /** A passage near the token limit, for the canaries: truncation shows there first. */
  const longCanary = () => {
    const words = 'The lighthouse keeper kept a log of every ship, storm and lamp repair; ';
    let text = '';
    while (count(text + words) <= passageOptions.maxTokens - 2) text += words;
    return text.trim();
  };
  const setup = {
    model: info.modelId,
    revision: info.revision,
    dtype: info.dtype,
    pooling: info.pooling,
    normalized: info.normalized,
    dimension: info.dimension,
  };

  return {
    async index(dir, run = {}) {
      assertKnownOptions(run, Object.keys(INDEX_RUN_KINDS), 'index');
      assertOptionValues(run, INDEX_RUN_KINDS, 'index');
      const t0 = performance.now();
      const root = resolve(dir);
      const out = resolve(run.out ?? join(root, 'pagesense'));
      const pages = readSitePages(root);
      const { passages, contents, skipped } = sitePassages(pages, count, passageOptions);
      run.onProgress?.({ status: 'pages', pages: pages.length, passages: passages.length, skipped });
      if (!passages.length) throw createError('EMPTY_TEXT', `none of the ${pages.length} pages under ${root} has text in its main content`);

      if (endpoints && options.vectorsFile)
        throw createError('INVALID_ARGUMENT', 'createIndexer: embedEndpoints and vectorsFile both say where vectors come from; give one');
      if (endpoints && !remote) {
        remote = await startRemote(
          {
            endpoints,
            api: options.embedApi ?? 'tei',
            model: options.embedModel ?? spec.id,
            batchSize: options.batchSize ?? 32,
            concurrency: options.embedConcurrency ?? 4,
            ...(options.embedHeaders ? { headers: options.embedHeaders } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          },
          embedder,
          longCanary(),
          passageOptions.maxTokens,
        );
        run.onProgress?.({ status: 'engine', engines: [...remote.remote.engines], warnings: remote.warnings, canaries: remote.canaries });
      }
      const cache = openEmbeddingCache(
        resolve(options.cacheDir ?? '.pagesense-cache'),
        remote ? { ...setup, engine: remote.fingerprint } : setup,
        info.dimension,
      );
      const hashes = passages.map((p) => sha256(p.text));
      let sample: ParityFigures | undefined;
      let embedded: number;
      let imported: Awaited<ReturnType<typeof importVectors>> | undefined;
      if (options.vectorsFile) {
        imported = await importVectors(resolve(options.vectorsFile), embedder, passages, hashes);
        embedded = 0;
      } else if (remote) {
        const missing = [...new Set(hashes.filter((h) => !cache.get(h)))];
        const textOf = new Map(hashes.map((h, i) => [h, passages[i]!.text] as const));
        const e0 = performance.now();
        sample = await embedRemotely(
          remote,
          embedder,
          cache,
          missing.map((h) => textOf.get(h)!),
          missing,
          new Set(hashes),
          (done, stats) =>
            run.onProgress?.({ status: 'embed', done, total: missing.length, passagesPerSecond: done / ((performance.now() - e0) / 1000), endpoints: stats }),
        );
        embedded = missing.length;
      } else embedded = await embedMissing(embedder, cache, passages, hashes, run.onProgress);
      if (!imported) cache.save(new Set(hashes));
      const engine = imported?.engine ?? (remote ? engineRecord(remote, endpoints!.length, sample) : undefined);
      let vectors = imported?.vectors;
      if (!vectors) {
        vectors = new Float32Array(passages.length * info.dimension);
        for (const [i, h] of hashes.entries()) vectors.set(cache.get(h)!, i * info.dimension);
      }

      const sparseContents = sparse ? await encodeSparse(sparse, resolve(options.cacheDir ?? '.pagesense-cache'), passages, hashes, run.onProgress) : undefined;
      const previous = previousManifest(out);
      const bundled = options.bundleModel ? bundleModel(localModelPath, info.modelId, info.dtype, out) : undefined;
      const manifest = writeVectorSide(out, {
        embedder,
        vectors,
        passages,
        pages: pages.length,
        embedded,
        bundled,
        passageTokens: passageOptions,
        lexical: options.lexical !== false,
        sparse: sparseContents,
        engine,
      });
      if (options.lexical !== false) {
        run.onProgress?.({ status: 'lexical' });
        await writePagefindIndex(contents, join(out, 'pagefind'));
      }
      removeStaleFolders(out, previous, manifest);
      const seconds = (performance.now() - t0) / 1000;
      const bytes = folderBytes(out);
      run.onProgress?.({ status: 'done', manifest, embedded, bytes, seconds });
      return { manifest, embedded, out, bytes, seconds };
    },
    dispose: async () => {
      await embedder.dispose();
      await sparse?.dispose();
    },
  };
}

interface VectorSide {
  embedder: Embedder;
  vectors: Float32Array;
  passages: SitePassage[];
  pages: number;
  embedded: number;
  bundled: { path: string; bytes: number } | undefined;
  passageTokens: { maxTokens: number; overlapTokens: number };
  lexical: boolean;
  sparse: SparseContents | undefined;
  engine: SiteEngine | undefined;
}

/** The manifest and the shards the page's vector side reads: int8 codes, float32 rows, passages. */
function writeVectorSide(out: string, v: VectorSide): SiteManifest {
  const { info } = v.embedder;
  const dim = info.dimension;
  const ranges = calibrateRanges(v.vectors, dim);
  const codes = quantizeRows(v.vectors, dim, 'int8', ranges) as Int8Array;
  return writeSiteIndex(out, {
    manifest: {
      format: SITE_INDEX_FORMAT,
      formatVersion: SITE_INDEX_VERSION,
      pagesenseVersion: PAGESENSE_VERSION,
      model: {
        id: info.modelId,
        revision: info.revision,
        dtype: info.dtype as Dtype,
        dimension: dim,
        pooling: info.pooling,
        normalized: info.normalized,
        queryInstruction: info.queryInstruction,
        generated: info.generated,
        ...(v.bundled ? { bundled: v.bundled } : {}),
        ...(v.engine ? { engine: v.engine } : {}),
      },
      quantization: 'int8',
      ranges: { min: Array.from(ranges.min), max: Array.from(ranges.max) },
      counts: { pages: v.pages, passages: v.passages.length, embedded: v.embedded },
      passageTokens: { max: v.passageTokens.maxTokens, overlap: v.passageTokens.overlapTokens },
      ...(v.lexical ? { lexical: { engine: 'pagefind' as const, path: 'pagefind/' } } : {}),
    },
    codes,
    vectors: v.vectors,
    passages: v.passages,
    ...(v.sparse ? { sparse: v.sparse } : {}),
  });
}
