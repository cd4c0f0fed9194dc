// The indexer's local embedding step: the passages the cache lacks through the model
// in this process, each distinct text once, with progress from inside each call.
import type { SitePassage } from '../core/site-index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { EmbeddingCache } from './embedding-cache.ts';
import type { IndexRun } from './indexer.ts';

/**
 * Embeds the passages the cache lacks (each distinct text once), 256 per call so the
 * runtime's length-sorted batches pad little; progress comes from inside each call
 * (every model batch), so a slow machine still hears from it every few seconds.
 * Returns how many were embedded.
 */
export async function embedMissing(
  embedder: Embedder,
  cache: EmbeddingCache,
  passages: readonly SitePassage[],
  hashes: readonly string[],
  onProgress: IndexRun['onProgress'],
): Promise<number> {
  const dim = embedder.info.dimension;
  const missing = [...new Set(hashes.filter((h) => !cache.get(h)))];
  const textOf = new Map(hashes.map((h, i) => [h, passages[i]!.text] as const));
  const e0 = performance.now();
  const report = (done: number) =>
    onProgress?.({ status: 'embed', done, total: missing.length, passagesPerSecond: done ? done / ((performance.now() - e0) / 1000) : 0 });
  if (missing.length) report(0);
  for (let i = 0; i < missing.length; i += EMBED_STEP) {
    const batch = missing.slice(i, i + EMBED_STEP);
    const { vectors } = await embedder.embed(
      batch.map((h) => textOf.get(h)!),
      'passage',
      (p) => p.status === 'embed' && p.done < p.total && report(i + p.done),
    );
    batch.forEach((h, j) => cache.set(h, vectors.slice(j * dim, (j + 1) * dim)));
    report(Math.min(missing.length, i + EMBED_STEP));
  }
  return missing.length;
}

/** Passages per embed call: enough for the runtime to sort by length, few enough to cache as they land. */
const EMBED_STEP = 256;
