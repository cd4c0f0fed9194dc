// Vectors already embedded, keyed by a passage's content hash under one model setup,
// so re-running the indexer on an unchanged site embeds nothing and an edited page
// re-embeds only the passages that changed. One file per setup, <cache>/<setup
// hash>.bin (cache-file.ts): a header (setup, dimension, hashes in row order), then
// the float32 rows.
import { join } from 'node:path';
import { readCacheFile, writeCacheFile } from './cache-file.ts';
import { sha256 } from './content-hash.ts';

export interface EmbeddingCache {
  get(hash: string): Float32Array | undefined;
  set(hash: string, row: Float32Array): void;
  /** Writes the rows `keep` names (this run's passages) and drops the rest. */
  save(keep: ReadonlySet<string>): void;
  readonly size: number;
}

export function openEmbeddingCache(dir: string, setup: object, dimension: number): EmbeddingCache {
  const file = join(dir, `${sha256(JSON.stringify(setup)).slice(0, 16)}.bin`);
  const rows = new Map<string, Float32Array>();
  const read = readCacheFile<{ dimension: number; hashes: string[] }>(file);
  if (read && read.header.dimension === dimension && read.body.byteLength === read.header.hashes.length * dimension * 4) {
    const data = new Float32Array(read.body);
    read.header.hashes.forEach((h, i) => rows.set(h, data.slice(i * dimension, (i + 1) * dimension)));
  }
  return {
    get: (hash) => rows.get(hash),
    set: (hash, row) => void rows.set(hash, row),
    get size() {
      return rows.size;
    },
    save(keep) {
      const hashes = [...keep].filter((h) => rows.has(h));
      writeCacheFile(
        file,
        { setup, dimension, hashes },
        hashes.map((h) => rows.get(h)!),
      );
    },
  };
}
