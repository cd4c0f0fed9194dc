// Sparse vectors already encoded, keyed by a passage's content hash under one sparse
// setup (model, activation, pruning), so re-running `pagesense index --sparse` on an
// unchanged site encodes nothing. One file per setup, <cache>/sparse-<setup hash>.bin
// (cache-file.ts): a header (setup, hashes and term counts in order), then each
// passage's token ids (uint32) and weights (float32).
import { join } from 'node:path';
import type { SparseVector } from '../core/sparse-pooling.ts';
import { readCacheFile, writeCacheFile } from './cache-file.ts';
import { sha256 } from './content-hash.ts';

export interface SparseCache {
  get(hash: string): SparseVector | undefined;
  set(hash: string, vector: SparseVector): void;
  /** Writes the vectors `keep` names (this run's passages) and drops the rest. */
  save(keep: ReadonlySet<string>): void;
}

export function openSparseCache(dir: string, setup: object): SparseCache {
  const file = join(dir, `sparse-${sha256(JSON.stringify(setup)).slice(0, 16)}.bin`);
  const vectors = new Map<string, SparseVector>();
  const read = readCacheFile<{ hashes: string[]; counts: number[] }>(file);
  if (read && read.body.byteLength === read.header.counts.reduce((t, n) => t + n * 8, 0)) {
    let at = 0;
    read.header.hashes.forEach((h, i) => {
      const n = read.header.counts[i]!;
      vectors.set(h, { ids: new Uint32Array(read.body, at, n), weights: new Float32Array(read.body, at + n * 4, n) });
      at += n * 8;
    });
  }
  return {
    get: (hash) => vectors.get(hash),
    set: (hash, vector) => void vectors.set(hash, vector),
    save(keep) {
      const hashes = [...keep].filter((h) => vectors.has(h));
      writeCacheFile(
        file,
        { setup, hashes, counts: hashes.map((h) => vectors.get(h)!.ids.length) },
        hashes.flatMap((h) => [vectors.get(h)!.ids, vectors.get(h)!.weights]),
      );
    },
  };
}
