// Noticing that stored data went away between visits. Browsers evict IndexedDB under
// storage pressure (Chrome evicts a whole best-effort origin bucket, localStorage
// aside), Safari deletes it after days without a visit, and a visitor may delete it.
// A small localStorage note of how many collections the database held tells a first
// visit (no note) from a database found empty that was not (eviction).

const key = (database: string) => `pagesense:collections:${database}`;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // blocked storage throws on access
  }
}

/** Records how many collections the database now holds. */
export function noteCollections(database: string, count: number): void {
  try {
    if (count > 0) storage()?.setItem(key(database), String(count));
    else storage()?.removeItem(key(database));
  } catch {
    // A full or blocked localStorage only costs the notice.
  }
}

/** Why the data is gone, when the database holds no collection but last held some; undefined otherwise. */
export function evictionSince(database: string, count: number): string | undefined {
  const noted = Number(storage()?.getItem(key(database)) ?? 0);
  noteCollections(database, count);
  if (count > 0 || !(noted > 0)) return undefined;
  return `the ${noted} collection(s) stored in "${database}" on an earlier visit are gone: the browser evicted them (storage pressure, or days without a visit) or site data was cleared; they must be indexed again`;
}
