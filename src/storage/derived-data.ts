// Data built from a collection's documents (the lexical index) and saved beside it,
// so an open can load it instead of reading every document again. Each record says
// which state of the collection it was built from (the record's physical id and
// write version): any write, compaction, import or rebuild moves that on, and the
// record is then ignored and replaced, never read as current. So a batch is in the
// saved index only if the saved index was built after the batch committed.
import type { Database } from './idb-schema.ts';
import { writeTransaction } from './idb-transactions.ts';

export interface DerivedRead {
  /** Names the collection's current state, for writeDerived. */
  stamp: string;
  /** What was saved for exactly this state, if anything. */
  value: string | undefined;
}

const stampOf = (physical: string, version: number) => `${physical}:${version}`;

export async function readDerived(db: Database, name: string, key: string): Promise<DerivedRead | undefined> {
  const tx = db.transaction(['collections', 'derived'], 'readonly');
  const rec = await tx.objectStore('collections').get(name);
  if (!rec) return undefined;
  const saved = await tx.objectStore('derived').get([rec.physical, key]);
  return { stamp: stampOf(rec.physical, rec.version), value: saved && saved.version === rec.version ? saved.value : undefined };
}

/** Saves `value` as built from the state `stamp` names; false (nothing saved) when the collection moved on since. */
export function writeDerived(db: Database, name: string, key: string, stamp: string, value: string): Promise<boolean> {
  return writeTransaction(db, `save the ${key} index of "${name}"`, async (tx) => {
    const rec = await tx.objectStore('collections').get(name);
    if (!rec || stampOf(rec.physical, rec.version) !== stamp) return false;
    await tx.objectStore('derived').put({ collection: rec.physical, key, version: rec.version, value });
    return true;
  });
}
