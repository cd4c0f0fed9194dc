// Each collection's id -> row map, built when first needed (a write, a lookup by
// id), not at open: results carry their row positions, so opening needs none. A
// map is stamped with the collection's write version, so a write from another tab
// forces a rebuild from the slots records.
import { createError } from '../core/errors.ts';
import { BLOCK_ROWS, type CollectionRecord, type Database, type SlotsRecord, type WriteTx } from './idb-schema.ts';
import { physicalRange } from './block-records.ts';
import { RowMap } from './row-map.ts';

export interface IdMap {
  version: number;
  rows: RowMap;
}

export class IdMaps {
  private readonly maps = new Map<string, IdMap>(); // by physical id
  /** The slots the last read saw, so a map can be built from them without reading them again. */
  private readonly slotSnapshots = new Map<string, { version: number; slots: SlotsRecord[] }>();

  /** The map of a collection, rebuilt from its slots when another writer moved its version on. */
  async get(db: Database, rec: CollectionRecord, tx: WriteTx | null): Promise<IdMap> {
    const cached = this.maps.get(rec.physical);
    if (cached && cached.version === rec.version) return cached;
    const snapshot = this.slotSnapshots.get(rec.physical);
    this.slotSnapshots.delete(rec.physical);
    const range = physicalRange(rec.physical);
    const all = snapshot?.version === rec.version ? snapshot.slots : tx ? await tx.objectStore('slots').getAll(range) : await db.getAll('slots', range);
    const rows = new RowMap(BLOCK_ROWS);
    let live = 0;
    for (const s of all) s.ids.forEach((id, slot) => id !== null && (live++, rows.set(id, s.block, slot)));
    if (rows.size !== live) throw createError('CORRUPT_INDEX', `collection "${rec.name}": ${live} rows but ${rows.size} distinct ids`);
    const map = { version: rec.version, rows };
    this.maps.set(rec.physical, map);
    return map;
  }

  /** A read saw these slots: keep them for the first lookup by id, unless the map is already current. */
  noteSlots(rec: CollectionRecord, slots: SlotsRecord[]): void {
    if (this.maps.get(rec.physical)?.version !== rec.version) this.slotSnapshots.set(rec.physical, { version: rec.version, slots });
  }

  /** A failed write may have left half a batch in the map: build it again next time. */
  invalidate(physical: string): void {
    this.maps.delete(physical);
  }

  drop(physical: string): void {
    this.maps.delete(physical);
    this.slotSnapshots.delete(physical);
  }
}
