// What both entries export from the core: errors, vectors, the flat index, quantization,
// the sentence-transformers util mirror, chunking and the index file. The retrieval
// toolbox (lexical index, fusion, metrics) is pagesense/core's alone, so the browser
// entry can load the lexical engine lazily.
export { isPagesenseError, PagesenseError, ERROR_CODES, type ErrorCode } from './errors.ts';
export type { Progress, ProgressCallback } from './progress.ts';
export { normalizeRows } from './vectors.ts';
export { createFlatIndex, type FlatIndex, type FlatIndexOptions, type SearchOptions } from './kernel/flat-index.ts';
export type { Hit } from './kernel/top-k-heap.ts';
export { quantizeEmbeddings, calibrateRanges, type Precision, type Ranges, type QuantizeOptions, type QuantizedEmbeddings } from './quantization.ts';
export {
  normalizeEmbeddings,
  cosSim,
  dotScore,
  semanticSearch,
  paraphraseMining,
  communityDetection,
  toMatrix,
  type Matrix,
  type Embeddings,
  type CorpusHit,
  type SemanticSearchOptions,
  type ParaphraseMiningOptions,
  type CommunityDetectionOptions,
} from './similarity.ts';
export { chunkText, slugify, type Passage, type ChunkOptions } from './chunking.ts';
export { encodeIndexFile, decodeIndexFile, INDEX_FILE_VERSION, type IndexFileContents, type IndexFileDocument } from './index-file.ts';
export type { CollectionManifest, CollectionQuantization, EmbeddingSpec, Pooling } from './manifest.ts';
