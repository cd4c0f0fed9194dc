// createIndexer(): a site folder (built HTML or Markdown) in, a static index out —
// sections by heading, passages sized by the model's tokenizer, embedded in Node with
// exactly the model, dtype and pooling the page will use, int8 codes for the scan,
// float32 shards for rescoring, passage shards for what is shown, and Pagefind's
// chunked index for the lexical side. Unchanged passages come from the cache.
import { join, resolve } from 'node:path';
import { AutoTokenizer, type PreTrainedTokenizer } from '@huggingface/transformers';
import { calibrateRanges, quantizeRows } from '../core/quantization.ts';
import { SITE_INDEX_FORMAT, SITE_INDEX_VERSION, type SiteManifest, type SitePassage } from '../core/site-index.ts';
import { loadTransformersEmbedder } from '../embedding/transformers-runtime.ts';
import { findModel, type Dtype } from '../models/registry.ts';
import { createError } from '../core/errors.ts';
import { openEmbeddingCache, sha256 } from './embedding-cache.ts';
import { htmlSections } from './html-sections.ts';
import { splitPassages } from './passages.ts';
import { readSitePages } from './site-files.ts';
import { writeSiteIndex } from './site-writer.ts';
import { PAGESENSE_VERSION } from '../version.ts';
import { writePagefindIndex } from './pagefind-side.ts';
import { bundleModel } from './bundle-model.ts';

export interface IndexerOptions {
  /** Registry id. Default 'Xenova/bge-small-en-v1.5'. */
  model?: string;
  /** Weights; default the registry's WASM dtype, which is what the page loads. */
  dtype?: Dtype;
  /** Folder holding models/<id>/ (self-hosted or forged). Default './public/models/' then the Hub. */
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
}

export type IndexerProgress =
  | { status: 'pages'; pages: number; passages: number; skipped: string[] }
  | { status: 'embed'; done: number; total: number; passagesPerSecond: number }
  | { status: 'lexical' }
  | { status: 'done'; manifest: SiteManifest; embedded: number; seconds: number };

export interface IndexRun {
  out?: string;
  onProgress?: (p: IndexerProgress) => void;
}

export interface Indexer {
  /** Indexes `dir` into `out` (default `<dir>/pagesense`). */
  index(dir: string, run?: IndexRun): Promise<{ manifest: SiteManifest; embedded: number; out: string }>;
  dispose(): Promise<void>;
}

export async function createIndexer(options: IndexerOptions = {}): Promise<Indexer> {
  const spec = findModel(options.model ?? 'Xenova/bge-small-en-v1.5');
  if (!spec) throw createError('INVALID_ARGUMENT', `createIndexer: unknown model ${JSON.stringify(options.model)}; see MODELS`);
  const dtype = options.dtype ?? spec.dtype.wasm;
  const localModelPath = resolve(options.localModelPath ?? 'public/models') + '/';
  const embedder = await loadTransformersEmbedder({
    model: spec.id,
    device: 'cpu',
    dtype,
    localModelPath,
    allowRemoteModels: options.allowRemoteModels ?? true,
    batchSize: options.batchSize ?? 32,
    maxBatchTokens: 8192,
  });
  // The runtime configured transformers.js' one env for this model: the same files give the tokenizer.
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(spec.id);
  const count = (text: string) => (tokenizer.encode(text, { add_special_tokens: false }) as number[]).length;
  const maxTokens = Math.min(options.maxTokens ?? 256, spec.maxTokens);
  const overlapTokens = options.overlapTokens ?? 32;
  const info = embedder.info;
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
      const t0 = performance.now();
      const root = resolve(dir);
      const out = resolve(run.out ?? join(root, 'pagesense'));
      const pages = readSitePages(root);
      const passages: SitePassage[] = [];
      const skipped: string[] = [];
      for (const page of pages) {
        const content = htmlSections(page.html, { code: options.code ?? true });
        const before = passages.length;
        for (const section of content.sections) {
          for (const p of splitPassages(section.text, count, { maxTokens, overlapTokens })) {
            passages.push({
              url: page.url,
              anchor: section.anchor,
              title: content.title || page.file,
              headingPath: section.headingPath,
              text: p.text,
              start: p.start,
              end: p.end,
            });
          }
        }
        if (passages.length === before) skipped.push(page.file);
      }
      run.onProgress?.({ status: 'pages', pages: pages.length, passages: passages.length, skipped });
      if (!passages.length) throw createError('EMPTY_TEXT', `pagesense index: none of the ${pages.length} pages under ${root} has text in its main content`);

      const cache = openEmbeddingCache(resolve(options.cacheDir ?? '.pagesense-cache'), setup, info.dimension);
      const hashes = passages.map((p) => sha256(p.text));
      const missing = [...new Set(hashes.filter((h) => !cache.get(h)))];
      const textOf = new Map(hashes.map((h, i) => [h, passages[i]!.text] as const));
      const e0 = performance.now();
      const step = 256;
      for (let i = 0; i < missing.length; i += step) {
        const batch = missing.slice(i, i + step);
        const { vectors } = await embedder.embed(
          batch.map((h) => textOf.get(h)!),
          'passage',
        );
        batch.forEach((h, j) => cache.set(h, vectors.slice(j * info.dimension, (j + 1) * info.dimension)));
        const done = Math.min(missing.length, i + step);
        run.onProgress?.({ status: 'embed', done, total: missing.length, passagesPerSecond: done / ((performance.now() - e0) / 1000) });
      }
      cache.save(new Set(hashes));

      const dim = info.dimension;
      const vectors = new Float32Array(passages.length * dim);
      hashes.forEach((h, i) => vectors.set(cache.get(h)!, i * dim));
      const ranges = calibrateRanges(vectors, dim);
      const bundled = options.bundleModel ? bundleModel(localModelPath, info.modelId, info.dtype, out) : undefined;
      const codes = quantizeRows(vectors, dim, 'int8', ranges) as Int8Array;
      const manifest = writeSiteIndex(out, {
        manifest: {
          format: SITE_INDEX_FORMAT,
          formatVersion: SITE_INDEX_VERSION,
          pagesenseVersion: PAGESENSE_VERSION,
          model: {
            id: info.modelId,
            revision: info.revision,
            dtype: info.dtype,
            dimension: dim,
            pooling: info.pooling,
            normalized: info.normalized,
            queryInstruction: info.queryInstruction,
            generated: info.generated,
            ...(bundled ? { bundled } : {}),
          },
          quantization: 'int8',
          ranges: { min: Array.from(ranges.min), max: Array.from(ranges.max) },
          counts: { pages: pages.length, passages: passages.length, embedded: missing.length },
          passageTokens: { max: maxTokens, overlap: overlapTokens },
          ...(options.lexical === false ? {} : { lexical: { engine: 'pagefind' as const, path: 'pagefind/' } }),
        },
        codes,
        vectors,
        passages,
      });
      if (options.lexical !== false) {
        run.onProgress?.({ status: 'lexical' });
        await writePagefindIndex(pages, join(out, 'pagefind'));
      }
      const seconds = (performance.now() - t0) / 1000;
      run.onProgress?.({ status: 'done', manifest, embedded: missing.length, seconds });
      return { manifest, embedded: missing.length, out };
    },
    dispose: () => embedder.dispose(),
  };
}
