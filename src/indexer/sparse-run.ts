// The indexer's sparse step: the passages the sparse cache lacks through the sparse
// encoder (each distinct text once), with progress per model batch, and what the
// writer needs to write the sparse side.
import type { SitePassage } from '../core/site-index.ts';
import type { IndexRun } from './indexer.ts';
import type { SparseEncoder } from './sparse-encoder.ts';
import { openSparseCache } from './sparse-cache.ts';
import type { SparseContents } from './sparse-writer.ts';

/** The passages the sparse cache lacks through the sparse encoder (each distinct text once), with progress per model batch. */
export async function encodeSparse(
  sparse: SparseEncoder,
  cacheDir: string,
  passages: readonly SitePassage[],
  hashes: readonly string[],
  onProgress: IndexRun['onProgress'],
): Promise<SparseContents> {
  const cache = openSparseCache(cacheDir, { model: sparse.spec.id, activation: sparse.activation, pruning: sparse.pruning, maxTokens: sparse.spec.maxTokens });
  const missing = [...new Set(hashes.filter((h) => !cache.get(h)))];
  const textOf = new Map(hashes.map((h, i) => [h, passages[i]!.text] as const));
  const t0 = performance.now();
  const report = (done: number) =>
    onProgress?.({ status: 'sparse', done, total: missing.length, passagesPerSecond: done ? done / ((performance.now() - t0) / 1000) : 0 });
  if (missing.length) report(0);
  const vectors = await sparse.encode(
    missing.map((h) => textOf.get(h)!),
    report,
  );
  missing.forEach((h, i) => cache.set(h, vectors[i]!));
  cache.save(new Set(hashes));
  return {
    model: { id: sparse.spec.id, revision: 'main', activation: sparse.activation, generated: sparse.spec.generated },
    tokenizer: sparse.tokenizer,
    pruning: sparse.pruning,
    vocabulary: sparse.vocabulary,
    queryWeights: sparse.queryWeights,
    vectors: hashes.map((h) => cache.get(h)!),
  };
}
