// pagesense/core: the pure core. Runs unchanged in Node, a Worker and the page;
// imports nothing from the DOM, workers, IndexedDB or the model runtime.

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
export { fuseRankings, type FusedHit, type FusionOptions, type RankedHit } from './fusion.ts';
export { createLexicalIndex, type LexicalDocument, type LexicalIndex, type LexicalIndexOptions } from './lexical-index.ts';
export { analyze, tokenize, ENGLISH_STOP_WORDS } from './lexical-analysis.ts';
export {
  meanMetrics,
  queryMetrics,
  rankRun,
  type MeanMetrics,
  type MetricCutoffs,
  type QueryMetrics,
  type Qrels,
  type ScoredDocument,
} from './retrieval-metrics.ts';
