// What a collection's vectors mean. Stored with every collection and checked
// on open: embeddings from two models (or two poolings of one model) never mix.
import { createError } from './errors.ts';

export const SCHEMA_VERSION = 1;

export type Pooling = 'cls' | 'mean';

/** Weights a model can be loaded in: what the registry, the indexer and a site manifest name. */
export const DTYPES = ['fp32', 'fp16', 'q8'] as const;
export type Dtype = (typeof DTYPES)[number];

/** The parts of a manifest that decide whether two sets of vectors are comparable. */
export interface EmbeddingSpec {
  modelId: string;
  /** Model revision (Hub branch or commit) or a content stamp for self-made models. */
  revision: string;
  dimension: number;
  pooling: Pooling;
  normalized: boolean;
  /** Prefix added to queries only; '' when none. */
  queryInstruction: string;
}

/**
 * How the collection keeps its vectors besides float32. 'int8' adds one byte
 * per dimension per row (sentence-transformers' int8 with per-dimension ranges),
 * which is what an open reads and scans; float32 rows stay stored for exact
 * rescoring of the candidates and for export.
 */
export type CollectionQuantization = 'none' | 'int8';

export interface CollectionManifest extends EmbeddingSpec {
  format: 'pagesense-collection';
  schemaVersion: number;
  name: string;
  quantization: CollectionQuantization;
  /**
   * int8: per-dimension calibration ranges, fixed from the first full block of
   * rows and used for every row after; absent until that block is full.
   */
  ranges?: { min: number[]; max: number[] };
  documentCount: number;
  vectorCount: number;
  createdAt: number;
  updatedAt: number;
}

const SPEC_KEYS: readonly (keyof EmbeddingSpec)[] = ['modelId', 'revision', 'dimension', 'pooling', 'normalized', 'queryInstruction'];

export function createManifest(name: string, spec: EmbeddingSpec, now: number, quantization: CollectionQuantization = 'none'): CollectionManifest {
  return {
    format: 'pagesense-collection',
    schemaVersion: SCHEMA_VERSION,
    name,
    ...pickSpec(spec),
    quantization,
    documentCount: 0,
    vectorCount: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export function pickSpec(spec: EmbeddingSpec): EmbeddingSpec {
  const { modelId, revision, dimension, pooling, normalized, queryInstruction } = spec;
  return { modelId, revision, dimension, pooling, normalized, queryInstruction };
}

/** Rejects anything that is not a manifest this version can read. */
export function assertManifest(value: unknown, where: string): asserts value is CollectionManifest {
  const m = value as Partial<CollectionManifest> | null;
  if (!m || typeof m !== 'object' || m.format !== 'pagesense-collection') {
    throw createError('CORRUPT_INDEX', `${where}: not a pagesense collection manifest`);
  }
  if (m.schemaVersion !== SCHEMA_VERSION) {
    throw createError(
      'CORRUPT_INDEX',
      `${where}: schema version ${String(m.schemaVersion)} is not supported (this build reads ${SCHEMA_VERSION}); rebuild the index`,
      {
        schemaVersion: m.schemaVersion,
      },
    );
  }
  if (typeof m.dimension !== 'number' || !(m.dimension > 0) || typeof m.modelId !== 'string') {
    throw createError('CORRUPT_INDEX', `${where}: manifest lacks a model id or dimension`);
  }
  if (m.quantization !== 'none' && m.quantization !== 'int8') {
    throw createError('CORRUPT_INDEX', `${where}: unknown quantization ${JSON.stringify(m.quantization)}`);
  }
  const r = m.ranges;
  if (
    r !== undefined &&
    !(
      Array.isArray(r?.min) &&
      Array.isArray(r?.max) &&
      r.min.length === m.dimension &&
      r.max.length === m.dimension &&
      [...r.min, ...r.max].every(Number.isFinite)
    )
  ) {
    throw createError('CORRUPT_INDEX', `${where}: int8 ranges must be ${m.dimension} finite numbers each`);
  }
}

/** Throws MODEL_MISMATCH listing every field that differs. */
export function assertCompatible(stored: EmbeddingSpec, requested: EmbeddingSpec, collection: string): void {
  const diffs = SPEC_KEYS.filter((k) => stored[k] !== requested[k]).map((k) => ({ field: k, stored: stored[k], requested: requested[k] }));
  if (diffs.length === 0) return;
  const list = diffs.map((d) => `${d.field}: stored ${JSON.stringify(d.stored)}, requested ${JSON.stringify(d.requested)}`).join('; ');
  throw createError(
    'MODEL_MISMATCH',
    `Collection "${collection}" was built with a different embedding setup (${list}). ` +
      'Open it with the model it was built with, or clear it / use another collection name to re-index with the new model.',
    { diffs },
  );
}
