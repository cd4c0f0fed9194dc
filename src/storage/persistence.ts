// Storage quota and eviction: ask the browser to keep our data, and report usage.

export interface StorageReport {
  /** Bytes this origin uses, as the browser estimates it. */
  usage: number;
  /** Bytes this origin may use. */
  quota: number;
  /** True when the browser promised not to evict this origin's data under pressure. */
  persisted: boolean;
}

interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

const storageManager = (): StorageManagerLike | undefined => (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage;

/** Asks for persistent storage (the browser may decide without a prompt); resolves to whether it is granted. */
export async function requestPersistence(): Promise<boolean> {
  const s = storageManager();
  if (!s?.persist) return false;
  try {
    return (await s.persisted?.()) || (await s.persist());
  } catch {
    return false;
  }
}

export async function storageReport(): Promise<StorageReport | undefined> {
  const s = storageManager();
  if (!s?.estimate) return undefined;
  const { usage = 0, quota = 0 } = await s.estimate();
  return { usage, quota, persisted: (await s.persisted?.()) ?? false };
}
