// Lookups by id: where a row is (from the positions a read handed out, else the id
// map), the float rows exact re-ranking needs (a 16 MB cache first, then slices of
// the block Blobs the last read saw), and documents.
import { createError, ERROR_MESSAGES } from '../core/errors.ts';
import { blockBytes, openBlockBytes, readBlock, type BlockRecord } from './block-records.ts';
import { BLOCK_ROWS, CHUNKS_PER_BLOCK, DOC_CHUNK, type CollectionRecord, type Database } from './idb-schema.ts';
import type { IdMaps } from './id-maps.ts';
import { RowCache } from './row-cache.ts';
import type { RowPosition } from './row-map.ts';
import type { RowHints, StoredDocument } from './vector-store.ts';

/** Float rows kept for re-ranking: 16 MB is about 10k rows of 384 dimensions. */
const ROW_CACHE_BYTES = 16 * 1024 * 1024;

export class RowLookups {
  /** The last read's float row sources per block (Blob handles, the open block's bytes), by physical id. */
  private readonly rowSources = new Map<string, { version: number; blocks: Map<number, Blob | ArrayBuffer> }>();
  private readonly rowCache = new RowCache(ROW_CACHE_BYTES);

  constructor(private readonly idMaps: IdMaps) {}

  /** A read saw these block records: re-ranking reads slice them instead of reading the records again. */
  noteBlocks(rec: CollectionRecord, blocks: readonly BlockRecord[]): void {
    this.rowSources.set(rec.physical, { version: rec.version, blocks: new Map(blocks.map((b) => [b.block, b.vectors])) });
  }

  drop(physical: string): void {
    this.rowSources.delete(physical);
    this.rowCache.dropCollection(physical);
  }

  /**
   * Where each id's row is: from the hints when they come from a read of this same
   * physical collection (rows never move within one), else from the id map.
   */
  private async locate(db: Database, rec: CollectionRecord, ids: readonly string[], hints: RowHints | undefined): Promise<(RowPosition | undefined)[]> {
    const usable = hints && hints.snapshot === rec.physical && hints.positions.length === ids.length ? hints.positions : undefined;
    const fromHint = (i: number): RowPosition | undefined => {
      const p = usable?.[i] ?? -1;
      return p >= 0 ? { block: Math.floor(p / BLOCK_ROWS), slot: p % BLOCK_ROWS } : undefined;
    };
    if (ids.every((_, i) => fromHint(i))) return ids.map((_, i) => fromHint(i));
    const map = await this.idMaps.get(db, rec, null);
    return ids.map((id, i) => fromHint(i) ?? map.rows.get(id));
  }

  /** The float32 rows of these ids, in order (for exact re-ranking); an unknown id is NOT_FOUND. */
  async getVectors(db: Database, rec: CollectionRecord, ids: readonly string[], hints?: RowHints): Promise<Float32Array> {
    const name = rec.name;
    const dim = rec.manifest.dimension;
    const at = (await this.locate(db, rec, ids, hints)).map((loc, i) => {
      if (!loc) throw ERROR_MESSAGES.documentNotFound(ids[i]!, name);
      return loc;
    });
    const out = new Float32Array(ids.length * dim);
    const misses: number[] = [];
    at.forEach(({ block, slot }, i) => {
      const row = this.rowCache.get(rec.physical, block * BLOCK_ROWS + slot);
      if (row && row.length === dim) out.set(row, i * dim);
      else misses.push(i);
    });
    if (misses.length === 0) return out;
    const cached = this.rowSources.get(rec.physical);
    let records = cached?.version === rec.version ? cached.blocks : undefined;
    if (!records) {
      const tx = db.transaction(['blocks', 'segments'], 'readonly');
      const wanted = [...new Set(misses.map((i) => at[i]!.block))];
      const got = await Promise.all(
        wanted.map(async (b) => {
          const r = await tx.objectStore('blocks').get([rec.physical, b]);
          if (!r) return [];
          const v = r.vectors instanceof ArrayBuffer ? await openBlockBytes(tx.objectStore('blocks'), tx.objectStore('segments'), rec.physical, b) : r.vectors;
          return [[b, v] as const];
        }),
      );
      records = new Map(got.flat());
      await tx.done;
    }
    // A Blob is read by slices: only the asked-for rows' bytes leave the disk.
    await Promise.all(
      misses.map(async (i) => {
        const { block, slot } = at[i]!;
        const v = records!.get(block);
        if (v === undefined || blockBytes(v) < (slot + 1) * dim * 4)
          throw createError('CORRUPT_INDEX', `collection "${name}": block ${block} is missing or short`);
        const bytes =
          v instanceof ArrayBuffer
            ? v.slice(slot * dim * 4, (slot + 1) * dim * 4)
            : await readBlock(v.slice(slot * dim * 4, (slot + 1) * dim * 4), name, block);
        const row = new Float32Array(bytes);
        this.rowCache.set(rec.physical, block * BLOCK_ROWS + slot, row);
        out.set(row, i * dim);
      }),
    );
    return out;
  }

  /** The documents of these ids, in order; undefined for an id that is not stored (or was deleted since the hint). */
  async getDocuments(db: Database, rec: CollectionRecord, ids: readonly string[], hints?: RowHints): Promise<(StoredDocument | undefined)[]> {
    const name = rec.name;
    const where = await this.locate(db, rec, ids, hints);
    const keys = [...new Set(where.flatMap((at) => (at ? [at.block * CHUNKS_PER_BLOCK + Math.floor(at.slot / DOC_CHUNK)] : [])))];
    const tx = db.transaction('docs', 'readonly');
    const chunks = new Map((await Promise.all(keys.map((k) => tx.store.get([rec.physical, k])))).flatMap((c) => (c ? [[c.chunk, c] as const] : [])));
    await tx.done;
    return ids.map((id, i) => {
      const at = where[i];
      if (!at) return undefined;
      // Also catches a row deleted since the hint was taken: its document slot is empty.
      const doc = chunks.get(at.block * CHUNKS_PER_BLOCK + Math.floor(at.slot / DOC_CHUNK))?.docs[at.slot % DOC_CHUNK];
      return doc && doc.id === id ? { ...doc, collection: name } : undefined;
    });
  }
}
