// The static site index `pagesense index` writes and the page reads: a manifest and
// content-hashed shards. The scan needs the int8 codes only (one file, a quarter of
// the float32 bytes) and the passages' url#anchor keys; exact rescoring reads the
// float32 rows of its candidates (HTTP range requests into the vector shards); a result's title, heading path, url#anchor and snippet come
// from the passage shards of the hits shown. A manifest from another format version
// or another model is refused by name, never half-read.
import { createError } from './errors.ts';
import { DTYPES, type Dtype, type Pooling } from './manifest.ts';
import { assertSparseSide, type SparseSide } from './sparse-index.ts';

export const SITE_INDEX_FORMAT = 'pagesense-site';
export const SITE_INDEX_VERSION = 1;
export const SITE_MANIFEST_FILE = 'manifest.json';
/** Float32 rows per rescoring shard: 512 x 384 x 4 = 768 KB for BGE-small. */
export const VECTOR_SHARD_ROWS = 512;
/** Passages per metadata shard: small, since only the shards of the hits shown are read. */
export const PASSAGE_SHARD_ROWS = 32;

export interface SiteShard {
  file: string;
  bytes: number;
  /** SHA-256 of the file, hex; its first 16 characters are in the file name. */
  sha256: string;
}

/** Vectors made elsewhere compared with the page's model run locally. */
export interface ParityFigures {
  /** Passages compared. */
  count: number;
  minCosine: number;
  maxNormError: number;
  /** The cosine bound held, when not 0.99975: a dynamically quantized model's own batch-to-batch gap, doubled (never below 0.999). */
  bound?: number;
}

/** What made the vectors when the indexer did not (`--embed-endpoint`): the engine, its build, and the parity checks they passed. */
export interface SiteEngine {
  /** 'vectors-file': a batch job's vectors (`--vectors`). */
  api: 'tei' | 'openai' | 'ollama' | 'vectors-file';
  endpoints: number;
  /** The vectors file and its format, for 'vectors-file'. */
  file?: string;
  version?: string;
  modelId?: string;
  modelSha?: string;
  dtype?: string;
  parity: { canaries: ParityFigures; sample?: ParityFigures };
}

export interface SiteModel {
  id: string;
  revision: string;
  dtype: Dtype;
  dimension: number;
  pooling: Pooling;
  normalized: boolean;
  queryInstruction: string;
  /** Generated test model: rankings carry no meaning. */
  generated: boolean;
  /** --bundle-model: the model's files, relative to the index folder (the page loads them from there, never the Hub). */
  bundled?: { path: string; bytes: number };
  /** Set when a remote engine embedded the passages (the query side still runs this model in the page). */
  engine?: SiteEngine;
}

export interface SitePassage {
  /** Page URL relative to the site root, e.g. 'guide/features.html'. */
  url: string;
  /** The heading's id on the page, '' for text before the first heading. */
  anchor: string;
  /** The page's title. */
  title: string;
  headingPath: string[];
  text: string;
  /** Character range of the passage in its section's text. */
  start: number;
  end: number;
}

export interface SiteManifest {
  format: typeof SITE_INDEX_FORMAT;
  formatVersion: number;
  pagesenseVersion: string;
  model: SiteModel;
  quantization: 'int8';
  /** int8 calibration, per dimension. */
  ranges: { min: number[]; max: number[] };
  counts: { pages: number; passages: number; embedded: number };
  passageTokens: { max: number; overlap: number };
  codes: SiteShard;
  /** JSON: each passage's 'url#anchor' (or 'url'), in row order: what the vector side fuses by. */
  keys: SiteShard;
  vectors: SiteShard[];
  passages: SiteShard[];
  /** The lexical side, when one was written: Pagefind's bundle, relative to this folder. */
  lexical?: { engine: 'pagefind'; path: string };
  /** The learned-sparse side, when `--sparse` wrote one: answers with no model in the page. */
  sparse?: SparseSide;
}

/** Checks a parsed manifest; `where` names the file in the error. */
export function assertSiteManifest(value: unknown, where: string): SiteManifest {
  const m = value as Partial<SiteManifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== SITE_INDEX_FORMAT) {
    throw createError('CORRUPT_INDEX', `${where} is not a pagesense site index manifest (format ${JSON.stringify(m?.format)})`);
  }
  if (m.formatVersion !== SITE_INDEX_VERSION) {
    throw createError(
      'UNSUPPORTED',
      `${where} has site index format ${m.formatVersion}; this pagesense reads format ${SITE_INDEX_VERSION}. Run \`pagesense index\` again with this version.`,
    );
  }
  const model = m.model;
  if (
    !model ||
    typeof model.id !== 'string' ||
    !Number.isInteger(model.dimension) ||
    !m.codes ||
    !m.keys ||
    !Array.isArray(m.vectors) ||
    !Array.isArray(m.passages)
  ) {
    throw createError('CORRUPT_INDEX', `${where} is missing its model, codes, vectors or passages`);
  }
  if (!(DTYPES as readonly unknown[]).includes(model.dtype) || (model.pooling !== 'cls' && model.pooling !== 'mean')) {
    throw createError(
      'CORRUPT_INDEX',
      `${where} names model dtype ${JSON.stringify(model.dtype)} and pooling ${JSON.stringify(model.pooling)}; expected one of ${DTYPES.join(', ')} and cls or mean`,
    );
  }
  if (m.sparse !== undefined) assertSparseSide(m.sparse, where);
  return m as SiteManifest;
}
