// pagesense/core: the pure core. Runs unchanged in Node, a Worker and the page;
// imports nothing from the DOM, workers, IndexedDB or the model runtime.

export * from './essentials.ts';
export { fuseRankings, type FusedHit, type FusionOptions, type RankedHit } from './fusion.ts';
export { createLexicalIndex, type LexicalDocument, type LexicalIndex, type LexicalIndexOptions } from './lexical-index.ts';
export { analyze, tokenize, ENGLISH_STOP_WORDS } from './lexical-analysis.ts';
export { markedExcerpt, type Excerpt, type ExcerptOptions, type MarkedExcerpt } from './excerpt.ts';
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
