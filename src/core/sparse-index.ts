// The learned-sparse side of a site index: what `pagesense index --sparse` writes
// beside the dense side, and what the page reads with no model at all. At build time
// a fill-mask model weights every passage over its tokenizer's vocabulary; at query
// time a query is only its tokens, each once, times a fixed per-token query weight.
// Files: the vocabulary in buckets by a token's first character (continuation pieces,
// '##x…', by the character after '##'), since WordPiece only ever asks whether a
// prefix of a word, or '##' and a later part of it, is in the vocabulary: a query needs
// the buckets of its words' characters, not all 30,522 tokens. And postings sharded by
// token hash (content-hashed names, each holding its tokens' query weights and
// passages), so a query fetches only the shards of its own tokens.
import { createError } from './errors.ts';

/** The manifest entry's own format version, checked apart from the site index's. */
export const SPARSE_FORMAT_VERSION = 1;

/**
 * The document side's activation over the MLM logits, after max-pooling over positions:
 * 'log1p-relu' log(1 + relu(x)) (OpenSearch v1 and v2 models, SPLADE);
 * 'log1p-log1p-relu' log(1 + log(1 + relu(x))), the "ℓ0 approximation" of OpenSearch's v3 models.
 */
export type SparseActivation = 'log1p-relu' | 'log1p-log1p-relu';
export const SPARSE_ACTIVATIONS: readonly SparseActivation[] = ['log1p-relu', 'log1p-log1p-relu'];

export function activate(activation: SparseActivation, x: number): number {
  if (x <= 0) return 0;
  const once = Math.log1p(x);
  return activation === 'log1p-relu' ? once : Math.log1p(once);
}

/** How passages were pruned: at most `topTerms` tokens each, none under `minWeight`. */
export interface SparsePruning {
  topTerms: number;
  minWeight: number;
}

/** BertNormalizer and WordPiece settings, as the model's tokenizer.json has them. */
export interface SparseTokenizer {
  type: 'wordpiece';
  lowercase: boolean;
  stripAccents: boolean | null;
  chineseChars: boolean;
  cleanText: boolean;
  unknown: string;
  prefix: string;
  maxChars: number;
  specials: string[];
}

export interface SparseSide {
  version: typeof SPARSE_FORMAT_VERSION;
  model: { id: string; revision: string; activation: SparseActivation; generated: boolean };
  tokenizer: SparseTokenizer;
  pruning: SparsePruning;
  /** A stored document weight is its byte times this. */
  weightScale: number;
  /** The vocabulary by bucket (vocabularyBucket), each file sorted, one token per line. */
  vocabulary: Record<string, string>;
  /** Postings shard file names; a token's shard is shardOf(token, postings.length). */
  postings: string[];
  counts: { tokens: number; postings: number };
}

/**
 * A vocabulary token's bucket: its first character for a-z and 0-9, else 'u' and the
 * code point mod 16; continuation pieces ('##' and more) get 'c-' before the bucket of
 * the character after '##'.
 */
export function vocabularyBucket(token: string): string {
  const continued = token.length > 2 && token.startsWith('##');
  const cp = (continued ? token.slice(2) : token).codePointAt(0) ?? 0;
  const ch = String.fromCodePoint(cp);
  return (continued ? 'c-' : '') + (/^[a-z0-9]$/.test(ch) ? ch : `u${cp % 16}`);
}

/** The buckets WordPiece can consult for these words: each word's first character, and '##' and each later one. */
export function bucketsForWords(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of words) {
    const chars = [...w];
    if (!chars.length) continue;
    out.add(vocabularyBucket(chars[0]!));
    for (let i = 1; i < chars.length; i++) out.add(vocabularyBucket(`##${chars[i]}`));
  }
  return out;
}

/** FNV-1a over the token's UTF-16 units: the same shard in Node and in every browser. */
export function shardOf(token: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

/** Checks a manifest's sparse entry; `where` names the file in the error. */
export function assertSparseSide(value: unknown, where: string): SparseSide {
  const s = value as Partial<SparseSide> | null;
  if (typeof s !== 'object' || s === null) throw createError('CORRUPT_INDEX', `${where}: its sparse entry is not an object`);
  if (s.version !== SPARSE_FORMAT_VERSION) {
    throw createError(
      'UNSUPPORTED',
      `${where} has sparse format ${String(s.version)}; this pagesense reads sparse format ${SPARSE_FORMAT_VERSION}. Run \`pagesense index --sparse\` again with this version.`,
    );
  }
  if (
    !s.model ||
    !SPARSE_ACTIVATIONS.includes(s.model.activation) ||
    s.tokenizer?.type !== 'wordpiece' ||
    typeof s.vocabulary !== 'object' ||
    s.vocabulary === null ||
    Object.values(s.vocabulary).some((f) => typeof f !== 'string') ||
    !Array.isArray(s.postings) ||
    s.postings.length === 0 ||
    !(typeof s.weightScale === 'number' && s.weightScale > 0)
  ) {
    throw createError(
      'CORRUPT_INDEX',
      `${where}: its sparse entry lacks a model and activation, a WordPiece tokenizer, a vocabulary, postings or a weight scale`,
    );
  }
  return s as SparseSide;
}
