// IndexedDB failures as catalog errors, and the one way the store writes: a
// read-write transaction over every store that aborts whole on any failure.
import { createError, ERROR_MESSAGES, isPagesenseError } from '../core/errors.ts';
import { STORES, type Database, type WriteTx } from './idb-schema.ts';

export function storageError(err: unknown, action: string) {
  if (isPagesenseError(err)) return err;
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'QuotaExceededError') {
    return createError(
      'QUOTA_EXCEEDED',
      `Storage quota exceeded while trying to ${action}; nothing from this operation was saved. Free space or clear a collection.`,
      undefined,
      err,
    );
  }
  if (e?.name === 'ConstraintError') return ERROR_MESSAGES.alreadyStored(`the collection (while trying to ${action})`, undefined, err);
  return createError('STORAGE_FAILED', `IndexedDB failed to ${action}: ${e?.name ?? ''} ${e?.message ?? String(err)}`, undefined, err);
}

/** Runs `body` in one read-write transaction; any failure aborts it whole. Await only the transaction's own requests inside. */
export async function writeTransaction<T>(db: Database, action: string, body: (tx: WriteTx) => Promise<T>): Promise<T> {
  const tx = db.transaction([...STORES], 'readwrite');
  const done = tx.done;
  try {
    const result = await body(tx);
    await done;
    return result;
  } catch (err) {
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    await done.catch(() => undefined);
    throw storageError(err, action);
  }
}
