// The store a page gets: IndexedDB, or, when the browser refuses to open it (storage
// blocked in the visitor's settings, a sandboxed frame), the page's memory, said so.
import { isPagesenseError } from '../core/errors.ts';
import type { IndexedDBStoreOptions } from './indexeddb-options.ts';
import { openIndexedDBStore } from './indexeddb-store.ts';
import { createMemoryStore } from './memory-store.ts';
import type { VectorStore } from './vector-store.ts';

export interface BrowserStoreOptions extends IndexedDBStoreOptions {
  /** When IndexedDB cannot be opened: a memory store (true) or the STORAGE_FAILED error (false). Default true. */
  memoryFallback?: boolean;
  /** Told why, when the store is in memory. */
  onMemoryFallback?: (reason: string) => void;
}

export async function openBrowserStore(options: BrowserStoreOptions = {}): Promise<VectorStore> {
  const { memoryFallback = true, onMemoryFallback, ...idb } = options;
  try {
    return await openIndexedDBStore(idb);
  } catch (err) {
    if (!isPagesenseError(err, 'STORAGE_FAILED') || !memoryFallback) throw err;
    const because = `IndexedDB could not be opened (${err.message}); this index lives in memory and ends with the page`;
    onMemoryFallback?.(because);
    return createMemoryStore(because);
  }
}
