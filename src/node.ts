// pagesense/node: the site indexer for Node scripts (what `pagesense index` runs).
// Needs the optional peers @huggingface/transformers, onnxruntime-node and pagefind.
export { createIndexer, type Indexer, type IndexerOptions, type IndexerProgress, type IndexRun } from './indexer/indexer.ts';
export {
  SITE_INDEX_FORMAT,
  SITE_INDEX_VERSION,
  assertSiteManifest,
  type SiteManifest,
  type SitePassage,
  type SiteShard,
  type SiteModel,
} from './core/site-index.ts';
