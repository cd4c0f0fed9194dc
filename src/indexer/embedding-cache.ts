// Vectors already embedded, keyed by a passage's content hash under one model setup,
// so re-running the indexer on an unchanged site embeds nothing and an edited page
// re-embeds only the passages that changed. One file per setup, <cache>/<setup
// hash>.bin: a length-prefixed JSON header (setup, dimension, hashes in row order),
// then the float32 rows, written beside and renamed into place, so an interrupted
// run leaves the previous cache whole.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './content-hash.ts';
import { writingTo } from './file-errors.ts';

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
  if (existsSync(file)) {
    try {
      const buf = readFileSync(file);
      const headerBytes = buf.readUInt32LE(0);
      const header = JSON.parse(buf.subarray(4, 4 + headerBytes).toString('utf8')) as { dimension: number; hashes: string[] };
      const at = Math.ceil((4 + headerBytes) / 4) * 4;
      const data = new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + buf.byteLength));
      if (header.dimension === dimension && data.length === header.hashes.length * dimension) {
        header.hashes.forEach((h, i) => rows.set(h, data.slice(i * dimension, (i + 1) * dimension)));
      }
    } catch {
      rows.clear(); // a damaged cache only makes a slower run
    }
  }
  return {
    get: (hash) => rows.get(hash),
    set: (hash, row) => void rows.set(hash, row),
    get size() {
      return rows.size;
    },
    save(keep) {
      writingTo(dir, () => {
        mkdirSync(dir, { recursive: true });
        const hashes = [...keep].filter((h) => rows.has(h));
        const header = Buffer.from(JSON.stringify({ setup, dimension, hashes }), 'utf8');
        const at = Math.ceil((4 + header.length) / 4) * 4;
        const out = Buffer.alloc(at + hashes.length * dimension * 4);
        out.writeUInt32LE(header.length, 0);
        header.copy(out, 4);
        const data = new Float32Array(out.buffer, out.byteOffset + at, hashes.length * dimension);
        hashes.forEach((h, i) => data.set(rows.get(h)!, i * dimension));
        writeFileSync(`${file}.tmp`, out);
        renameSync(`${file}.tmp`, file);
      });
    },
  };
}
