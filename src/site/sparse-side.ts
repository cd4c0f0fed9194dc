// The page's learned-sparse side: no model, no worker, no wasm. The vocabulary
// buckets of the query's characters (each fetched once and kept) give the WordPiece the
// model's own cuts; the query's distinct tokens name their postings shards (a few KB
// each, fetched once and kept); scoring sums query weight × document weight over the
// passages that carry them.
import { createWordPiece } from '../core/wordpiece.ts';
import { bucketsForWords, shardOf, type SparseSide } from '../core/sparse-index.ts';
import { decodePostingsShard, type TokenPostings } from '../core/sparse-postings.ts';
import { queryTokens, scoreSparse, type SparseHit } from '../core/sparse-scoring.ts';
import { createPromiseCache } from '../core/promise-cache.ts';
import type { SiteIndexReader } from './site-index-reader.ts';

export interface SparseSearchSide {
  /** The best `k` passages for the query (rows and scores), best first. */
  search(query: string, k: number): Promise<SparseHit[]>;
}

export function createSparseSide(reader: SiteIndexReader, side: SparseSide, passages: number): SparseSearchSide {
  // Tokens of the buckets loaded so far: WordPiece asks only about the buckets of the words it spells.
  const known = new Set<string>();
  const buckets = createPromiseCache<string, void>();
  const bucket = (b: string) =>
    buckets.get(b, async () => {
      const file = side.vocabulary[b];
      if (!file) return; // no token starts so: WordPiece finds none, as with the whole vocabulary
      for (const t of new TextDecoder().decode(await reader.sparseFile(file)).split('\n')) known.add(t);
    });
  const tokenizer = (() => {
    const t = side.tokenizer;
    return createWordPiece(known, {
      lowercase: t.lowercase,
      stripAccents: t.stripAccents,
      chineseChars: t.chineseChars,
      cleanText: t.cleanText,
      unknown: t.unknown,
      prefix: t.prefix,
      maxChars: t.maxChars,
      specials: t.specials,
    });
  })();
  const shards = createPromiseCache<number, Map<string, TokenPostings>>();
  const shard = (i: number) => shards.get(i, async () => decodePostingsShard(new Uint8Array(await reader.sparseFile(side.postings[i]!)), side.postings[i]!));

  return {
    async search(query, k) {
      await Promise.all([...bucketsForWords(tokenizer.words(query))].map(bucket));
      const tokens = queryTokens(tokenizer.tokenize(query), side.tokenizer.specials);
      const postings = new Map<string, TokenPostings>();
      const wanted = [...new Set(tokens.map((t) => shardOf(t, side.postings.length)))];
      const loaded = await Promise.all(wanted.map(shard));
      for (const t of tokens) {
        const p = loaded[wanted.indexOf(shardOf(t, side.postings.length))]!.get(t);
        if (p) postings.set(t, p);
      }
      return scoreSparse(tokens, postings, passages, side.weightScale, k);
    },
  };
}
