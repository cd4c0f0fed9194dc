// Writes the learned-sparse side's files into a site index folder: the sorted
// vocabulary (what the page's WordPiece spells with) and the postings, sharded by
// token hash, each shard content-hashed (the postings themselves: core/sparse-inversion.ts).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  shardOf,
  vocabularyBucket,
  SPARSE_FORMAT_VERSION,
  type SparseActivation,
  type SparsePruning,
  type SparseSide,
  type SparseTokenizer,
} from '../core/sparse-index.ts';
import { encodePostingsShard, type TokenPostings } from '../core/sparse-postings.ts';
import type { SparseVector } from '../core/sparse-pooling.ts';
import { invertSparse } from '../core/sparse-inversion.ts';
import { sha256 } from './content-hash.ts';

/** Raw bytes a postings shard aims at (a token's own postings can make it larger): a query of five tokens then reads about 10 KB of other tokens' postings. */
const SHARD_TARGET_BYTES = 2048;

export interface SparseContents {
  model: { id: string; revision: string; activation: SparseActivation; generated: boolean };
  tokenizer: SparseTokenizer;
  pruning: SparsePruning;
  vocabulary: readonly string[];
  queryWeights: ReadonlyMap<string, number>;
  /** One per passage, in row order. */
  vectors: readonly SparseVector[];
}

export const SPARSE_FILE = /^sparse-[\w-]+\.(txt|bin)$/;

function hashed(out: string, stem: string, ext: string, data: Uint8Array): string {
  const file = `${stem}-${sha256(data).slice(0, 16)}.${ext}`;
  writeFileSync(join(out, file), data);
  return file;
}

export function writeSparseFiles(out: string, s: SparseContents): SparseSide {
  const { weightScale, tokens, postings } = invertSparse(s.vectors, s.vocabulary, s.queryWeights);
  let estimate = 0;
  for (const [token, p] of tokens) estimate += token.length + 6 + p.rows.length * 2;
  const shardCount = Math.max(1, Math.ceil(estimate / SHARD_TARGET_BYTES));
  const shards = Array.from({ length: shardCount }, () => new Map<string, TokenPostings>());
  for (const [token, p] of tokens) shards[shardOf(token, shardCount)]!.set(token, p);
  const files = shards.map((group, i) => hashed(out, `sparse-${i}`, 'bin', encodePostingsShard(group)));
  const buckets = new Map<string, string[]>();
  for (const t of s.vocabulary) {
    if (t === undefined) continue;
    const b = vocabularyBucket(t);
    if (!buckets.has(b)) buckets.set(b, []);
    buckets.get(b)!.push(t);
  }
  const vocabulary: Record<string, string> = {};
  for (const [b, tokens] of [...buckets].sort(([x], [y]) => (x < y ? -1 : 1)))
    vocabulary[b] = hashed(out, `sparse-vocab-${b}`, 'txt', new TextEncoder().encode(tokens.sort().join('\n')));
  return {
    version: SPARSE_FORMAT_VERSION,
    model: s.model,
    tokenizer: s.tokenizer,
    pruning: { topTerms: Number.isFinite(s.pruning.topTerms) ? s.pruning.topTerms : 0, minWeight: s.pruning.minWeight },
    weightScale,
    vocabulary,
    postings: files,
    counts: { tokens: tokens.size, postings },
  };
}
